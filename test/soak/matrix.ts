/**
 * Runs a soak matrix against one real server VM with one service process (restarted only when a
 * scenario SIGKILLs it): boots the server (test-servers.ts), takes the namespace baseline, starts
 * the service as the app does (soak-service.ts), runs each scenario's cycles (support/cycle.ts)
 * under its path and CPU conditions, samples the service's RSS and open fds after every cycle,
 * and returns one row per scenario for the table (report.ts).
 *
 * Owns: the order of scenarios, the conditions around them, and the tally. Must not: judge a
 * scenario's reasons (scenarios.ts) or format (report.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type ServerKind, type ServerSetup, type TestServer } from '../interop/support/test-servers';
import { runCycle, type SoakContext } from './support/cycle';
import { IpGate } from './support/ip-gate';
import { snapshot } from './support/net-check';
import { SoakService, type ServiceSample } from './support/soak-service';
import { CpuLoad, PathImpairment, vmAlive } from './support/faults';
import type { Scenario } from './scenarios';

export interface ScenarioRow {
  readonly name: string;
  cycles: number;
  ok: number;
  /** Reason → count, for every cycle that did not end 'ok' (stopped and killed included). */
  readonly outcomes: Record<string, number>;
  /** Failures whose reason the scenario does not explain, and service problems (double end, no advice...). */
  readonly unexplained: string[];
  readonly residue: string[];
  readonly recoverMs: number[];
  readonly connectMs: number[];
  readonly notes: string[];
  /** The first message seen for each failure reason (explained ones included), for the details. */
  readonly firstMessage: Record<string, string>;
}

export interface SoakReport {
  readonly rows: ScenarioRow[];
  readonly samples: { readonly cycle: number; readonly pid: number; readonly sample: ServiceSample }[];
  readonly serviceStarts: number;
  readonly totalCycles: number;
  readonly wallMs: number;
}

export interface RunMatrixOptions {
  /** Which real server (default pptpd); accel-ppp is built from ../shared/vendor on first use. */
  readonly server?: ServerKind;
  readonly onRow?: (row: ScenarioRow) => void;
  readonly onCycle?: (scenario: string, i: number, outcome: string) => void;
}

/** Boots the server, runs every scenario, tears everything down. */
export async function runMatrix(scenarios: readonly Scenario[], opts: RunMatrixOptions = {}): Promise<SoakReport> {
  const started = performance.now();
  const first = scenarios[0]?.spec(0).server;
  if (!first) throw new Error('empty matrix');
  const server: TestServer = await startTestServer(opts.server ?? 'pptpd', first);
  const work = mkdtempSync(path.join(os.tmpdir(), 'pptp-soak-'));
  const stateDir = path.join(work, 'state');
  const gate = new IpGate(path.join(work, 'gate'));
  const load = new CpuLoad();
  let ctx: SoakContext | undefined;
  const rows: ScenarioRow[] = [];
  const samples: SoakReport['samples'] = [];
  let cycleNo = 0;
  try {
    const ns = server.vm.netns;
    const baseline = await snapshot(ns);
    ctx = { vm: server.vm, ns, stateDir, gate, service: await SoakService.start(ns, stateDir, gate.dir), baseline, restarts: 0 };
    samples.push({ cycle: 0, pid: ctx.service.pid, sample: ctx.service.sample() });
    const impairment = new PathImpairment(ns);
    let activeSetup: ServerSetup = first;
    for (const sc of scenarios) {
      const row: ScenarioRow = { name: sc.name, cycles: 0, ok: 0, outcomes: {}, unexplained: [], residue: [], recoverMs: [], connectMs: [], notes: [], firstMessage: {} };
      try {
        if (sc.netem) {
          await impairment.start(sc.netem);
          // The forwarder's veth pair is the soak's own: it is part of this scenario's baseline.
          ctx.baseline = await snapshot(ns);
        }
        if (sc.cpuLoad) load.start(sc.cpuLoad);
        for (let i = 0; i < sc.cycles; i++) {
          const { cycle, server: setup } = sc.spec(i);
          if (setup !== activeSetup) {
            // Switching pptpd's config goes through the VM's exec service: not under netem's worst.
            await server.configure(setup);
            activeSetup = setup;
          }
          let result;
          try {
            result = await runCycle(ctx, cycle);
          } catch (e) {
            result = { outcome: 'harness-error', residue: [], problems: [`cycle threw: ${(e as Error).message.split('\n')[0]}`], notes: [] };
          }
          row.cycles++;
          cycleNo++;
          const failed = result.outcome !== 'ok' && result.outcome !== 'stopped' && result.outcome !== 'killed';
          if (result.outcome === 'ok') row.ok++;
          else row.outcomes[result.outcome] = (row.outcomes[result.outcome] ?? 0) + 1;
          if (failed && result.message && row.firstMessage[result.outcome] === undefined) row.firstMessage[result.outcome] = result.message;
          if (failed && !sc.expected.includes(result.outcome)) row.unexplained.push(`cycle ${i}: ${result.outcome}: ${result.message ?? ''}`);
          for (const p of result.problems) {
            // Traffic that did not pass on a lossy path is one of that path's explained outcomes.
            if (p.startsWith('traffic:') && sc.expected.includes('traffic')) {
              row.outcomes.traffic = (row.outcomes.traffic ?? 0) + 1;
              continue;
            }
            row.unexplained.push(`cycle ${i}: ${p}`);
          }
          row.residue.push(...result.residue.map((r) => `cycle ${i}: ${r}`));
          row.notes.push(...result.notes);
          if (result.recoverMs !== undefined) row.recoverMs.push(result.recoverMs);
          if (result.connectMs !== undefined) row.connectMs.push(result.connectMs);
          if (ctx.service.alive) samples.push({ cycle: cycleNo, pid: ctx.service.pid, sample: ctx.service.sample() });
          opts.onCycle?.(sc.name, i, result.outcome);
          if (!(await vmAlive(ns))) throw new Error(`the server VM died during "${sc.name}" cycle ${i}: the rest of the matrix cannot run`);
        }
      } finally {
        load.stop();
        if (sc.netem) {
          row.notes.push(`path: ${await impairment.stop()}`);
          ctx.baseline = baseline;
        }
      }
      rows.push(row);
      opts.onRow?.(row);
    }
  } finally {
    load.stop();
    gate.releaseAll();
    await ctx?.service.stop().catch(() => undefined);
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return {
    rows,
    samples,
    serviceStarts: 1 + (ctx?.restarts ?? 0),
    totalCycles: cycleNo,
    wallMs: Math.round(performance.now() - started),
  };
}
