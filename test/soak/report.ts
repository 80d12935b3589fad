/**
 * The soak's table and verdict: one line per scenario (cycles, ok, failures by reason, residue,
 * unexplained, time to recover, connect time), then RSS and open-fd figures of the longest-lived
 * service process with the bounds they are checked against.
 *
 * Bounds (stated here, checked in `verdict`): after a warm-up of the first 10 % of that
 * process's samples, RSS may grow by at most RSS_GROWTH_BOUND_KB and open fds by at most
 * FD_GROWTH_BOUND over the rest of the run. A leak of one socket, TUN fd or timer per cycle
 * breaks the fd bound within a few cycles; a leak of buffers per cycle shows in RSS over 200.
 */
import type { ScenarioRow, SoakReport } from './matrix';

export const RSS_GROWTH_BOUND_KB = 40 * 1024;
export const FD_GROWTH_BOUND = 4;

export interface ResourceFigures {
  readonly pid: number;
  readonly samples: number;
  readonly rssStartKb: number;
  readonly rssWarmKb: number;
  readonly rssEndKb: number;
  readonly rssMaxKb: number;
  readonly fdsStart: number;
  readonly fdsWarm: number;
  readonly fdsEnd: number;
  readonly fdsMax: number;
}

export function resourceFigures(report: SoakReport): ResourceFigures | null {
  const byPid = new Map<number, SoakReport['samples'][number][]>();
  for (const s of report.samples) byPid.set(s.pid, [...(byPid.get(s.pid) ?? []), s]);
  const longest = [...byPid.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  if (!longest) return null;
  const [pid, list] = longest;
  const warm = list[Math.min(list.length - 1, Math.floor(list.length / 10))]!;
  const after = list.slice(list.indexOf(warm));
  return {
    pid,
    samples: list.length,
    rssStartKb: list[0]!.sample.rssKb,
    rssWarmKb: warm.sample.rssKb,
    rssEndKb: list.at(-1)!.sample.rssKb,
    rssMaxKb: Math.max(...after.map((s) => s.sample.rssKb)),
    fdsStart: list[0]!.sample.fds,
    fdsWarm: warm.sample.fds,
    fdsEnd: list.at(-1)!.sample.fds,
    fdsMax: Math.max(...after.map((s) => s.sample.fds)),
  };
}

export interface Verdict {
  readonly pass: boolean;
  readonly why: string[];
}

export function verdict(report: SoakReport): Verdict {
  const why: string[] = [];
  for (const r of report.rows) {
    if (r.residue.length) why.push(`${r.name}: residue ${r.residue.length} (${r.residue[0]})`);
    if (r.unexplained.length) why.push(`${r.name}: unexplained ${r.unexplained.length} (${r.unexplained[0]})`);
  }
  const res = resourceFigures(report);
  if (res && res.samples >= 10) {
    if (res.rssMaxKb - res.rssWarmKb > RSS_GROWTH_BOUND_KB) why.push(`RSS grew ${Math.round((res.rssMaxKb - res.rssWarmKb) / 1024)} MB after warm-up (bound ${RSS_GROWTH_BOUND_KB / 1024} MB)`);
    if (res.fdsMax - res.fdsWarm > FD_GROWTH_BOUND) why.push(`open fds grew ${res.fdsMax - res.fdsWarm} after warm-up (bound ${FD_GROWTH_BOUND})`);
  }
  return { pass: why.length === 0, why };
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(x: number | undefined): string {
  return x === undefined ? '-' : x >= 10_000 ? `${(x / 1000).toFixed(0)} s` : `${(x / 1000).toFixed(1)} s`;
}

function outcomes(r: ScenarioRow): string {
  const parts = Object.entries(r.outcomes).map(([k, v]) => `${k}×${v}`);
  return parts.length ? parts.join(' ') : '-';
}

export function formatTable(report: SoakReport): string {
  const header = ['scenario', 'cycles', 'ok', 'not ok, by reason', 'residue', 'unexplained', 'recover (med/max)', 'connect (med)'];
  const lines = report.rows.map((r) => [
    r.name,
    String(r.cycles),
    String(r.ok),
    outcomes(r),
    String(r.residue.length),
    String(r.unexplained.length),
    r.recoverMs.length ? `${ms(median(r.recoverMs))} / ${ms(Math.max(...r.recoverMs))}` : '-',
    ms(median(r.connectMs)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)];
  const res = resourceFigures(report);
  out.push('');
  out.push(`cycles: ${report.totalCycles}, service processes started: ${report.serviceStarts}, wall time ${ms(report.wallMs)}`);
  if (res) {
    out.push(
      `service pid ${res.pid} (${res.samples} samples): RSS ${kb(res.rssStartKb)} start, ${kb(res.rssWarmKb)} after warm-up, ${kb(res.rssEndKb)} end, ${kb(res.rssMaxKb)} max ` +
        `(bound: +${RSS_GROWTH_BOUND_KB / 1024} MB after warm-up); open fds ${res.fdsStart} start, ${res.fdsWarm} after warm-up, ${res.fdsEnd} end, ${res.fdsMax} max (bound: +${FD_GROWTH_BOUND})`,
    );
  }
  const details: string[] = [];
  for (const r of report.rows) {
    for (const u of r.unexplained.slice(0, 5)) details.push(`  unexplained [${r.name}] ${u}`);
    for (const u of r.residue.slice(0, 5)) details.push(`  residue [${r.name}] ${u}`);
  }
  const explained: string[] = [];
  for (const r of report.rows) for (const [reason, message] of Object.entries(r.firstMessage)) explained.push(`  [${r.name}] ${reason}: ${message.slice(0, 220)}`);
  if (explained.length) out.push('', 'failures (first message per scenario and reason):', ...explained);
  if (details.length) out.push('', 'details:', ...details);
  const v = verdict(report);
  out.push('', v.pass ? 'SOAK PASSED: zero residue, zero unexplained failures, resources within bounds' : `SOAK FAILED: ${v.why.join('; ')}`);
  return out.join('\n');
}

function kb(x: number): string {
  return `${(x / 1024).toFixed(1)} MB`;
}
