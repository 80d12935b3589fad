/**
 * The kernel's word on who is at the other end of an accepted Unix socket: the native helper's
 * `peerCredentials(fd)` (SO_PEERCRED on Linux, unix(7); getpeereid(3) + LOCAL_PEERPID on macOS,
 * XNU bsd/kern/uipc_usrreq.c). Loaded lazily through createRequire, as main/service/tun does, so
 * the stdio service never needs it. When the export is missing (an older addon, a failed build)
 * every lookup fails, and the listener refuses the connection: fail closed, never "allow".
 *
 * The fd comes from the accepted net.Socket's libuv handle (`_handle.fd`, a pipe_wrap on Unix);
 * it is only read here, never closed or duplicated.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { PeerCredentials } from './peer-policy';

export type PeerCredentialsFn = (fd: number) => PeerCredentials;

export type PeerLookup = { ok: true; peer: PeerCredentials } | { ok: false; message: string };

/** Reads the peer of one accepted socket; injectable so unit tests need no addon. */
export type ReadPeer = (socket: Socket) => PeerLookup;

let cached: { fn: PeerCredentialsFn } | { error: string } | undefined;

/** The native `peerCredentials`, or why it is not there. */
export function loadPeerCredentials(): { fn: PeerCredentialsFn } | { error: string } {
  if (cached) return cached;
  try {
    const helper = createRequire(import.meta.url)('pptp-native-helper') as { peerCredentials?: unknown };
    cached =
      typeof helper.peerCredentials === 'function'
        ? { fn: helper.peerCredentials as PeerCredentialsFn }
        : { error: 'the native helper (pptp-native-helper) has no peerCredentials export; rebuild it' };
  } catch (error) {
    cached = { error: `the native helper (pptp-native-helper) could not be loaded: ${(error as Error).message}` };
  }
  return cached;
}

/** The file descriptor behind an accepted Unix-socket connection, if libuv exposes one. */
export function socketFd(socket: Socket): number | null {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : null;
}

function validPeer(value: unknown): value is PeerCredentials {
  const v = value as Partial<PeerCredentials> | null;
  const id = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
  return typeof v === 'object' && v !== null && id(v.uid) && id(v.gid) && (v.pid === null || (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0));
}

/** Builds a ReadPeer over a credentials function (the native one by default). */
export function peerReader(load: () => { fn: PeerCredentialsFn } | { error: string } = loadPeerCredentials): ReadPeer {
  return (socket) => {
    const native = load();
    if ('error' in native) return { ok: false, message: native.error };
    const fd = socketFd(socket);
    if (fd === null) return { ok: false, message: 'the connection has no file descriptor to ask the kernel about' };
    let peer: unknown;
    try {
      peer = native.fn(fd);
    } catch (error) {
      return { ok: false, message: `reading the peer's credentials failed: ${(error as Error).message}` };
    }
    if (!validPeer(peer)) return { ok: false, message: 'the native helper returned malformed peer credentials' };
    return { ok: true, peer: { uid: peer.uid, gid: peer.gid, pid: peer.pid } };
  };
}
