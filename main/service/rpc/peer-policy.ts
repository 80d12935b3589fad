/**
 * Who may drive the daemon (docs/privileged-helper.md): a pure decision over the peer's
 * credentials as the kernel reported them (SO_PEERCRED on Linux, getpeereid/LOCAL_PEERCRED on
 * macOS) and the groups the user database lists for that uid. Root is always allowed (it could
 * do everything the service does anyway); then the allowed uids; then members of the allowed
 * groups, by the peer's effective gid or its supplementary groups.
 *
 * Must not: look anything up (peer-groups.ts resolves uids and group names), or trust anything
 * the client wrote on the socket.
 */

export interface PeerCredentials {
  readonly uid: number;
  readonly gid: number;
  /** Linux SO_PEERCRED and macOS LOCAL_PEERPID give it; null where the OS does not. */
  readonly pid: number | null;
}

/** The policy with its group names already resolved to gids (unknown names are dropped, and logged, at start). */
export interface ResolvedPeerPolicy {
  readonly allowUids: ReadonlySet<number>;
  readonly allowGids: ReadonlySet<number>;
}

export type PeerDecision =
  | { readonly allowed: true; readonly why: 'root' | 'allowed-uid' | 'allowed-group' }
  | { readonly allowed: false; readonly why: string };

/**
 * `supplementaryGids`: the groups `id -G <uid>` lists for the peer's uid, or null when they
 * could not be read (then only the effective gid counts: unknown membership never allows).
 */
export function decidePeer(peer: PeerCredentials, policy: ResolvedPeerPolicy, supplementaryGids: readonly number[] | null): PeerDecision {
  if (peer.uid === 0) return { allowed: true, why: 'root' };
  if (policy.allowUids.has(peer.uid)) return { allowed: true, why: 'allowed-uid' };
  if (policy.allowGids.has(peer.gid)) return { allowed: true, why: 'allowed-group' };
  if (supplementaryGids?.some((g) => policy.allowGids.has(g))) return { allowed: true, why: 'allowed-group' };
  return { allowed: false, why: `uid ${peer.uid} is not root, not an allowed uid and not in an allowed group` };
}

/** Whether group membership could change the answer (so a lookup is worth running). */
export function needsGroupLookup(peer: PeerCredentials, policy: ResolvedPeerPolicy): boolean {
  return policy.allowGids.size > 0 && decidePeer(peer, policy, null).allowed === false;
}
