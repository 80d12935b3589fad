/** The service's V8 flags: what a process started without them is told it lacks. */
import { describe, expect, it } from 'vitest';
import { missingNodeFlags, SERVICE_NODE_FLAGS } from '../../../main/service/node-flags';

describe('missingNodeFlags', () => {
  it('startedByALauncher_nothingMissing', () => {
    expect(missingNodeFlags([...SERVICE_NODE_FLAGS, '--import', 'x.mjs'])).toEqual([]);
  });

  it('startedByHand_namesEachFlagItLacks', () => {
    expect(missingNodeFlags([])).toEqual([...SERVICE_NODE_FLAGS]);
    expect(missingNodeFlags(['--max-semi-space-size=16'])).toEqual(['--max-semi-space-size=2']);
  });
});
