/**
 * Human output for `pptpctl connect` without --json: one line per finished phase with its
 * timing and negotiated values, the connected summary, stats lines, and failures with the
 * doctor's advice. Pure string formatting: the CLI decides the stream (an error goes to stderr
 * behind the error prefix), the colour of the marks (`paint`) and the live lines.
 */
import type { TunnelEvent } from '../../preload/schema/tunnel';
import { adviceFor } from '../service/doctor/advice';

const PHASE_LABEL: Record<string, string> = {
  tcp: 'TCP',
  control: 'control',
  call: 'call',
  lcp: 'LCP',
  auth: 'auth',
  ccp: 'CCP/MPPE',
  ipcp: 'IPCP',
  routes: 'routes/DNS',
};

function fmtDetail(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

export function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** "2 h 03 min", "4 min 05 s", "12 s": an uptime as wg and nmcli show it. */
export function fmtDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d} d ${h} h ${pad(m)} min`;
  if (h > 0) return `${h} h ${pad(m)} min`;
  if (m > 0) return `${m} min ${pad(sec)} s`;
  return `${sec} s`;
}

export function fmtRate(bytesPerS: number): string {
  const bits = bytesPerS * 8;
  if (bits < 1000) return `${Math.round(bits)} bit/s`;
  if (bits < 1e6) return `${(bits / 1e3).toFixed(1)} kbit/s`;
  return `${(bits / 1e6).toFixed(2)} Mbit/s`;
}

export interface FormatOptions {
  /** Colours a mark (✓ green, ✗ red); identity when colour is off. */
  readonly paint?: (colour: 'green' | 'red', text: string) => string;
  /** Whether this run got as far as changing routes/DNS: "network restored" only then. */
  readonly networkTouched?: boolean;
}

/** The text for one event, or undefined when the human view shows nothing for it. */
export function formatEvent(e: TunnelEvent, opts: FormatOptions = {}): string | undefined {
  const paint = opts.paint ?? ((_c: 'green' | 'red', t: string) => t);
  switch (e.event) {
    case 'phase': {
      if (e.status === 'started') return undefined;
      const mark = e.status === 'done' ? paint('green', '✓') : paint('red', '✗');
      const label = (PHASE_LABEL[e.phase] ?? e.phase).padEnd(10);
      const time = e.durationMs !== undefined ? fmtMs(e.durationMs).padStart(8) : ''.padStart(8);
      return `  ${mark} ${label} ${time}  ${fmtDetail(e.detail)}`.trimEnd();
    }
    case 'connected': {
      const mppe = e.mppe ? `MPPE-${e.mppe.bits} ${e.mppe.stateful ? 'stateful' : 'stateless'}` : 'NO ENCRYPTION';
      return [
        `Connected in ${fmtMs(e.elapsedMs)}: ${e.localIp} ↔ ${e.remoteIp}${e.tunName ? ` on ${e.tunName}` : ''}, MTU ${e.mtu}`,
        `  auth ${e.auth}, ${mppe}${e.dns.length ? `, DNS ${e.dns.join(' ')}` : ''}`,
      ].join('\n');
    }
    case 'stats':
      return `  up ${fmtDuration(e.uptimeMs)}  rx ${fmtBytes(e.rxBytes)} (${fmtRate(e.rxRate)})  tx ${fmtBytes(e.txBytes)} (${fmtRate(e.txRate)})${
        e.rttMs != null ? `  rtt ${Math.round(e.rttMs)} ms` : ''
      }`;
    case 'error': {
      const advice = adviceFor(e);
      return [`${e.message} [${e.reason}]`, `  ${advice.title}.`, `  What to do: ${e.hint ?? advice.fix}`].join('\n');
    }
    case 'disconnected': {
      const network = !e.restored ? 'network NOT fully restored — run `pptpctl recover`' : opts.networkTouched === false ? 'no routes or DNS were changed' : 'network restored';
      return `Disconnected (${e.reason})${e.uptimeMs !== undefined ? ` after ${fmtMs(e.uptimeMs)}` : ''}; ${network}.`;
    }
    case 'reconnecting':
      return `Reconnecting (attempt ${e.attempt}) in ${fmtMs(e.delayMs)} after ${e.reason}…`;
    case 'log':
      return e.level === 'warn' || e.level === 'error' ? `  ${e.level}: ${e.message}` : undefined;
  }
}
