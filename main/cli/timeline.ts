/**
 * Human output for `pptpctl connect` without --json: one line per finished phase with its
 * timing and negotiated values, the connected summary, stats lines, and failures with the
 * doctor's advice. Pure string formatting (a TTY spinner for running phases lives in the CLI).
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

function fmtRate(bytesPerS: number): string {
  const bits = bytesPerS * 8;
  if (bits < 1000) return `${Math.round(bits)} bit/s`;
  if (bits < 1e6) return `${(bits / 1e3).toFixed(1)} kbit/s`;
  return `${(bits / 1e6).toFixed(2)} Mbit/s`;
}

/** The text for one event, or undefined when the human view shows nothing for it. */
export function formatEvent(e: TunnelEvent): string | undefined {
  switch (e.event) {
    case 'phase': {
      if (e.status === 'started') return undefined;
      const mark = e.status === 'done' ? '✓' : '✗';
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
      return `  up ${fmtMs(e.uptimeMs)}  rx ${fmtBytes(e.rxBytes)} (${fmtRate(e.rxRate)})  tx ${fmtBytes(e.txBytes)} (${fmtRate(e.txRate)})${
        e.rttMs != null ? `  rtt ${Math.round(e.rttMs)} ms` : ''
      }`;
    case 'error': {
      const advice = adviceFor(e);
      return [`Error [${e.reason}]: ${e.message}`, `  ${advice.title}.`, `  What to do: ${e.hint ?? advice.fix}`].join('\n');
    }
    case 'disconnected':
      return `Disconnected (${e.reason})${e.uptimeMs !== undefined ? ` after ${fmtMs(e.uptimeMs)}` : ''}; network ${e.restored ? 'restored' : 'NOT fully restored — run `pptpctl recover`'}.`;
    case 'reconnecting':
      return `Reconnecting (attempt ${e.attempt}) in ${fmtMs(e.delayMs)} after ${e.reason}…`;
    case 'log':
      return e.level === 'warn' || e.level === 'error' ? `  ${e.level}: ${e.message}` : undefined;
  }
}
