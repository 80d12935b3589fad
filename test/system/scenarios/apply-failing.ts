/**
 * Scenario: a plan whose step in the middle fails for real (a split route that already exists
 * through eth0: "File exists"). Snapshot before opening the TUN, apply (fails, rolls back),
 * close the TUN, snapshot again. Args: { stateDir, plan }.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TunDevice } from '../../../main/service/tun/tun-device';
import { JOURNAL_FILE, createNetworkConfigurator, planNetwork, snapshotNetworkState, type NetworkPlanInput } from '../../../main/service/net';
import { emit, fail, mainRoutes, scenarioArgs } from './common';

async function main(): Promise<void> {
  const args = scenarioArgs<{ stateDir: string; plan: Omit<NetworkPlanInput, 'tunName'> }>();
  const before = await snapshotNetworkState();
  const tun = TunDevice.open({ name: 'pptp%d' });
  if (!tun.ok) throw tun.error;
  const plan = planNetwork({ ...args.plan, tunName: tun.value.name });
  if (!plan.ok) throw new Error(plan.error.message);
  const applied = await createNetworkConfigurator({ stateDir: args.stateDir }).apply(plan.value);
  const routesWithTunOpen = await mainRoutes();
  const journalLeft = existsSync(join(args.stateDir, JOURNAL_FILE));
  tun.value.close();
  const after = await snapshotNetworkState();
  emit({ applied, routesWithTunOpen, journalLeft, before, after, tunName: tun.value.name });
}

main().catch(fail);
