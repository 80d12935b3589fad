/**
 * Scenario for crash recovery: open a TUN, apply a plan (journaled), print
 * {"event":"applied",...}, then keep running until the test kills it with SIGKILL.
 * Args: { stateDir, plan: NetworkPlanInput without tunName }.
 */
import { TunDevice } from '../../../main/service/tun/tun-device';
import { createNetworkConfigurator, planNetwork, type NetworkPlanInput } from '../../../main/service/net';
import { emit, fail, mainRoutes, readResolvConf, scenarioArgs } from './common';

async function main(): Promise<void> {
  const args = scenarioArgs<{ stateDir: string; plan: Omit<NetworkPlanInput, 'tunName'> }>();
  const tun = TunDevice.open({ name: 'pptp%d' });
  if (!tun.ok) throw tun.error;
  const plan = planNetwork({ ...args.plan, tunName: tun.value.name });
  if (!plan.ok) throw new Error(plan.error.message);
  const applied = await createNetworkConfigurator({ stateDir: args.stateDir }).apply(plan.value);
  emit({ event: 'applied', applied, routes: await mainRoutes(), resolvConf: await readResolvConf() });
  setInterval(() => undefined, 60_000); // wait for SIGKILL
}

main().catch(fail);
