/**
 * Network configuration for the tunnel service: pick the configurator for this OS, and the
 * start-up recovery the service and pptpctl run before anything else.
 *
 *   const net = createNetworkConfigurator();
 *   await net.recoverFromJournal();               // at start: undo what a crash left
 *   const plan = planNetwork({...});              // after IPCP
 *   const applied = await net.apply(plan.value);  // journaled; rolls back on failure
 *   await net.restore();                          // on disconnect
 */
import type { Result } from '../../engine/wire/result';
import { DarwinNetworkConfigurator } from './darwin/darwin-configurator';
import { LinuxNetworkConfigurator, type LinuxConfiguratorOptions } from './linux/linux-configurator';
import type { NetworkConfigError, NetworkConfigurator, RecoveryReport } from './types';
import { UnsupportedPlatformConfigurator } from './unsupported-configurator';

export type NetworkConfiguratorOptions = LinuxConfiguratorOptions & { readonly platform?: NodeJS.Platform };

export function createNetworkConfigurator(options: NetworkConfiguratorOptions = {}): NetworkConfigurator {
  const platform = options.platform ?? process.platform;
  if (platform === 'linux') return new LinuxNetworkConfigurator(options);
  if (platform === 'darwin') return new DarwinNetworkConfigurator(options);
  return new UnsupportedPlatformConfigurator(platform);
}

/** Undo whatever a crash or kill -9 left (idempotent); call at the start of the service and pptpctl. */
export function recoverFromJournal(options: NetworkConfiguratorOptions = {}): Promise<Result<RecoveryReport, NetworkConfigError>> {
  return createNetworkConfigurator(options).recoverFromJournal();
}

export { planNetwork, describeStep, FULL_TUNNEL_ROUTES } from './plan';
export { snapshotNetworkState, type NetworkSnapshot } from './snapshot';
export { createExecFileRunner, type CommandRunner, type CommandResult, type CommandName } from './command-runner';
export { defaultStateDir, NetworkJournal, JOURNAL_FILE } from './journal';
export { LinuxNetworkConfigurator, type LinuxConfiguratorOptions } from './linux/linux-configurator';
export { DarwinNetworkConfigurator, type DarwinConfiguratorOptions } from './darwin/darwin-configurator';
export { UnsupportedPlatformConfigurator } from './unsupported-configurator';
export * from './types';
