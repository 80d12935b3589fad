/**
 * Summarises a V8 .cpuprofile (node --cpu-prof) as the functions with the most self time, so
 * the end-to-end run can name what a packet costs in the service (MPPE, SHA-1, syscalls through
 * the raw socket or the TUN addon, GC...).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The top `count` functions by self time, as printable lines. */
export function summarizeCpuProfile(json: string, count: number): string[] {
  const p = JSON.parse(json) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const n = byId.get(samples[i]!);
    if (!n) continue;
    const dt = deltas[i] ?? 0;
    const f = n.callFrame;
    const file = f.url.replace(/^.*\//, '');
    const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
    selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
    total += dt;
  }
  const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  return [
    `total sampled ${(total / 1e6).toFixed(1)} s`,
    ...rows.map(([k, us]) => `${((100 * us) / Math.max(total, 1)).toFixed(1).padStart(5)} %  ${k}`),
  ];
}
