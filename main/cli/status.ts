/**
 * `pptpctl status`: what a running `pptpctl connect` reports about its tunnel, and how it is
 * printed. The connect process keeps a StatusTracker fed with its own tunnel events (connected,
 * stats) and answers the control socket's `status` with the service status plus profile name,
 * server, addresses, MPPE mode, uptime and traffic; the `status` command prints it as
 * `wg show` / `nmcli` do (one "key: value" per line), or as one JSON object with --json.
 * Rates are bytes per second since the previous stats report (the `--stats` interval, or the
 * previous `status`).
 */
import { z } from 'zod';
import type { ConnectedEvent, StatsEvent, TunnelEvent } from '../../preload/schema/tunnel';
import { serviceStatusSchema, type ServiceStatus } from '../service/rpc/protocol';
import { fmtBytes, fmtDuration, fmtRate } from './timeline';

export const cliStatusSchema = serviceStatusSchema.extend({
  /** The profile name (or the server, without a profile). */
  profile: z.string().optional(),
  /** The server as given (name or address) and the address connected to. */
  server: z.string().optional(),
  serverIp: z.string().optional(),
  tunName: z.string().optional(),
  mppe: z.object({ bits: z.number(), stateful: z.boolean() }).nullable().optional(),
  uptimeMs: z.number().optional(),
  rxBytes: z.number().optional(),
  txBytes: z.number().optional(),
  rxRate: z.number().optional(),
  txRate: z.number().optional(),
});
export type CliStatus = z.infer<typeof cliStatusSchema>;

/** What the connect process knows beyond the service status. */
export class StatusTracker {
  private connected: ConnectedEvent | undefined;
  private capture: ((s: StatsEvent) => void) | undefined;

  constructor(
    private readonly profile: string | undefined,
    private readonly server: string,
  ) {}

  /** Feed every tunnel event; returns true when the event was a stats report taken for `status` (not to print). */
  observe(e: TunnelEvent): boolean {
    if (e.event === 'connected') this.connected = e;
    if (e.event === 'disconnected' || e.event === 'reconnecting') this.connected = undefined;
    if (e.event === 'stats' && this.capture) {
      this.capture(e);
      return true;
    }
    return false;
  }

  /** The status reply: `service` from the driver, `requestStats` makes the driver emit stats now (synchronously). */
  snapshot(service: ServiceStatus, requestStats: () => void): CliStatus {
    let stats: StatsEvent | undefined;
    if (service.state === 'connected') {
      this.capture = (s) => (stats = s);
      try {
        requestStats();
      } finally {
        this.capture = undefined;
      }
    }
    const c = this.connected;
    return {
      ...service,
      ...(this.profile ? { profile: this.profile } : {}),
      server: this.server,
      ...(c ? { serverIp: c.server, mppe: c.mppe, ...(c.tunName ? { tunName: c.tunName } : {}) } : {}),
      ...(stats ? { uptimeMs: stats.uptimeMs, rxBytes: stats.rxBytes, txBytes: stats.txBytes, rxRate: stats.rxRate, txRate: stats.txRate } : {}),
    };
  }
}

/** The human status, one "key: value" line each. */
export function formatStatus(s: CliStatus): string[] {
  const rows: [string, string][] = [];
  const title = s.profile ?? s.label ?? s.server ?? 'tunnel';
  rows.push(['state', s.state]);
  if (s.server) rows.push(['server', s.serverIp && s.serverIp !== s.server ? `${s.server} (${s.serverIp})` : s.server]);
  if (s.connected) {
    const c = s.connected;
    rows.push(['addresses', `${c.localIp} (local) ↔ ${c.remoteIp} (remote)`]);
    if (s.uptimeMs !== undefined) rows.push(['uptime', fmtDuration(s.uptimeMs)]);
    if (s.rxBytes !== undefined && s.txBytes !== undefined) {
      rows.push(['received', `${fmtBytes(s.rxBytes)}${s.rxRate !== undefined ? ` (${fmtRate(s.rxRate)})` : ''}`]);
      rows.push(['sent', `${fmtBytes(s.txBytes)}${s.txRate !== undefined ? ` (${fmtRate(s.txRate)})` : ''}`]);
    }
    if (s.mppe !== undefined) rows.push(['encryption', s.mppe ? `MPPE-${s.mppe.bits} ${s.mppe.stateful ? 'stateful' : 'stateless'}` : 'NONE (traffic is not encrypted)']);
    rows.push(['auth', c.auth]);
    rows.push(['mtu', String(c.mtu)]);
    if (c.dns.length) rows.push(['dns', c.dns.join(' ')]);
  }
  return [`tunnel: ${title}${s.tunName ? ` (${s.tunName})` : ''}`, ...rows.map(([k, v]) => `  ${(k + ':').padEnd(12)}${v}`)];
}
