/** The pure peer decision: root, allowed uids, allowed groups (effective gid or supplementary), nothing else. */
import { describe, expect, it } from 'vitest';
import { decidePeer, needsGroupLookup, type ResolvedPeerPolicy } from '../../../../main/service/rpc/peer-policy';

const policy: ResolvedPeerPolicy = { allowUids: new Set([501]), allowGids: new Set([80]) };
const peer = (uid: number, gid: number) => ({ uid, gid, pid: 1234 });

describe('decidePeer', () => {
  it('root_isAlwaysAllowed_evenWithAnEmptyPolicy', () => {
    expect(decidePeer(peer(0, 0), { allowUids: new Set(), allowGids: new Set() }, null)).toEqual({ allowed: true, why: 'root' });
  });

  it('allowedUid_isAllowed', () => {
    expect(decidePeer(peer(501, 20), policy, null)).toEqual({ allowed: true, why: 'allowed-uid' });
  });

  it('allowedGroup_byEffectiveGidOrSupplementary', () => {
    expect(decidePeer(peer(502, 80), policy, null)).toEqual({ allowed: true, why: 'allowed-group' });
    expect(decidePeer(peer(502, 20), policy, [20, 12, 80])).toEqual({ allowed: true, why: 'allowed-group' });
  });

  it('anyoneElse_isRefused_unknownGroupsNeverAllow', () => {
    expect(decidePeer(peer(502, 20), policy, [20, 12]).allowed).toBe(false);
    expect(decidePeer(peer(502, 20), policy, null).allowed).toBe(false);
    expect(decidePeer(peer(65533, 65533), { allowUids: new Set([65534]), allowGids: new Set() }, null)).toMatchObject({ allowed: false, why: expect.stringContaining('uid 65533') });
  });

  it('needsGroupLookup_onlyWhenGroupsCouldChangeTheAnswer', () => {
    expect(needsGroupLookup(peer(502, 20), policy)).toBe(true);
    expect(needsGroupLookup(peer(501, 20), policy)).toBe(false);
    expect(needsGroupLookup(peer(0, 0), policy)).toBe(false);
    expect(needsGroupLookup(peer(502, 20), { allowUids: new Set([501]), allowGids: new Set() })).toBe(false);
  });
});
