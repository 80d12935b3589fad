/**
 * Scenario: run start-up recovery (as the service or pptpctl would) and snapshot the result.
 * Args: { stateDir }.
 */
import { recoverFromJournal, snapshotNetworkState } from '../../../main/service/net';
import { emit, fail, scenarioArgs } from './common';

async function main(): Promise<void> {
  const { stateDir } = scenarioArgs<{ stateDir: string }>();
  const first = await recoverFromJournal({ stateDir });
  const second = await recoverFromJournal({ stateDir }); // idempotent: nothing left to do
  emit({ first, second, after: await snapshotNetworkState() });
}

main().catch(fail);
