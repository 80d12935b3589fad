/**
 * The configurator for platforms without an implementation yet (macOS utun and Windows
 * Wintun implement NetworkConfigurator later). apply() fails with 'network-config-failed';
 * restore() and recoverFromJournal() have nothing to undo, so the service can still start.
 */
import { err, ok, type Result } from '../../engine/wire/result';
import {
  networkError,
  type AppliedNetwork,
  type NetworkConfigError,
  type NetworkConfigurator,
  type NetworkPlan,
  type RecoveryReport,
  type RestoreReport,
} from './types';

export class UnsupportedPlatformConfigurator implements NetworkConfigurator {
  readonly platform: string;

  constructor(platform: string = process.platform) {
    this.platform = platform;
  }

  apply(_plan: NetworkPlan): Promise<Result<AppliedNetwork, NetworkConfigError>> {
    return Promise.resolve(err(networkError('platform', `network configuration is not supported on this platform yet (${this.platform})`)));
  }

  restore(): Promise<Result<RestoreReport, NetworkConfigError>> {
    return Promise.resolve(ok({ undone: 0, notes: [] }));
  }

  recoverFromJournal(): Promise<Result<RecoveryReport, NetworkConfigError>> {
    return Promise.resolve(ok({ status: 'nothing-to-do' } as const));
  }
}
