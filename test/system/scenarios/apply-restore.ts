/**
 * Scenario: snapshot, open a TUN, apply a plan, probe, restore, close, snapshot again.
 * Args: { stateDir, plan: NetworkPlanInput without tunName, dnsBackend? }.
 */
import { TunDevice } from '../../../main/service/tun/tun-device';
import { createNetworkConfigurator, planNetwork, snapshotNetworkState, type NetworkPlanInput } from '../../../main/service/net';
import { emit, fail, mainRoutes, readResolvConf, routeGet, scenarioArgs } from './common';

interface Args {
  stateDir: string;
  plan: Omit<NetworkPlanInput, 'tunName'>;
  probe?: string;
}

async function main(): Promise<void> {
  const args = scenarioArgs<Args>();
  const before = await snapshotNetworkState();
  const tun = TunDevice.open({ name: 'pptp%d' });
  if (!tun.ok) throw tun.error;
  const net = createNetworkConfigurator({ stateDir: args.stateDir });
  const plan = planNetwork({ ...args.plan, tunName: tun.value.name });
  if (!plan.ok) throw new Error(plan.error.message);
  const applied = await net.apply(plan.value);
  const during = {
    routes: await mainRoutes(),
    resolvConf: await readResolvConf(),
    serverPath: await routeGet(args.plan.serverIp),
    probePath: args.probe ? await routeGet(args.probe) : null,
  };
  const restored = await net.restore();
  const afterRestoreTunOpen = await snapshotNetworkState();
  tun.value.close();
  const after = await snapshotNetworkState();
  emit({ tunName: tun.value.name, applied, during, restored, before, after, afterRestoreTunOpen });
}

main().catch(fail);
