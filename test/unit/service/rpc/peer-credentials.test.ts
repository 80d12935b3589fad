/** The fd -> credentials step fails closed: no addon export, no fd, a throw or a malformed answer is never a peer. */
import { describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { peerReader, socketFd } from '../../../../main/service/rpc/peer-credentials';

const withFd = (fd: unknown) => ({ _handle: { fd } }) as unknown as Socket;

describe('peerReader', () => {
  it('missingNativeExport_failsClosed', () => {
    const read = peerReader(() => ({ error: 'the native helper (pptp-native-helper) has no peerCredentials export; rebuild it' }));
    expect(read(withFd(7))).toEqual({ ok: false, message: expect.stringContaining('no peerCredentials export') });
  });

  it('passesTheSocketsFd_andReturnsTheKernelsAnswer', () => {
    const seen: number[] = [];
    const read = peerReader(() => ({ fn: (fd) => (seen.push(fd), { uid: 501, gid: 20, pid: 4242 }) }));
    expect(read(withFd(7))).toEqual({ ok: true, peer: { uid: 501, gid: 20, pid: 4242 } });
    expect(seen).toEqual([7]);
  });

  it('noFd_throwingOrMalformedAnswers_failClosed', () => {
    const ok = () => ({ uid: 1, gid: 1, pid: null });
    expect(peerReader(() => ({ fn: ok }))(withFd(undefined)).ok).toBe(false);
    expect(peerReader(() => ({ fn: ok }))({} as Socket).ok).toBe(false);
    expect(peerReader(() => ({ fn: () => { throw new Error('EBADF'); } }))(withFd(3))).toEqual({ ok: false, message: expect.stringContaining('EBADF') });
    for (const bad of [null, { uid: -1, gid: 0, pid: null }, { uid: 1.5, gid: 0, pid: null }, { uid: 1, gid: 0 }, { uid: '0', gid: 0, pid: null }]) {
      expect(peerReader(() => ({ fn: () => bad as never }))(withFd(3)).ok).toBe(false);
    }
  });

  it('socketFd_onlyNonNegativeIntegers', () => {
    expect(socketFd(withFd(0))).toBe(0);
    expect(socketFd(withFd(-1))).toBeNull();
    expect(socketFd(withFd('3'))).toBeNull();
  });
});
