/**
 * The soak suite's CI subset (test/soak/: `npm run soak` runs the whole matrix): the real
 * service process driven over its stdio RPC as the app drives it, against the real pptpd VM —
 * steady cycles alternating MS-CHAPv2 / MS-CHAPv1 / CHAP / PAP with full tunnel + DNS and split
 * routes, a lossy and slow path, saturated CPUs, and one fault at each kind of instant (TCP
 * connect, a PPP phase, the network apply, while connected, the restore; SIGKILL of the service
 * with recovery at the next start). Zero residue in the namespace after every step, zero
 * failures outside each fault's expected reasons, resources within the stated bounds.
 */
import { describe, expect, it } from 'vitest';
import { requireInteropPrereqs } from './support/pptpd-vm';
import { runMatrix } from '../soak/matrix';
import { formatTable, verdict } from '../soak/report';
import { shortMatrix } from '../soak/scenarios';

const pre = await requireInteropPrereqs();

describe.skipIf(!pre.ok)('soak (short): the service under repeated cycles and faults', () => {
  it('leaves no residue and no unexplained failure', async () => {
    const report = await runMatrix(shortMatrix());
    console.log(formatTable(report));
    const residue = report.rows.flatMap((r) => r.residue.map((x) => `${r.name}: ${x}`));
    const unexplained = report.rows.flatMap((r) => r.unexplained.map((x) => `${r.name}: ${x}`));
    expect(residue).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(report.totalCycles).toBe(shortMatrix().reduce((n, s) => n + s.cycles, 0));
    // The steady cycles connect every time on a quiet path.
    const steady = report.rows.find((r) => r.name.startsWith('steady'));
    expect(steady?.ok).toBe(steady?.cycles);
    expect(verdict(report).why).toEqual([]);
  }, 600_000);
});
