/** errno names become words, the code kept in parentheses. */
import { describe, expect, it } from 'vitest';
import { describeSystemError, isSystemError, plainErrnoText } from '../../../main/cli/system-errors';

const sysErr = (code: string, syscall: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${code}: some words, ${syscall} '${String(extra.path ?? '')}'`), { code, syscall, errno: -1, ...extra });

describe('describeSystemError', () => {
  it.each([
    [sysErr('ENOENT', 'open', { path: '/x/y.pbk' }), 'cannot open /x/y.pbk: no such file or directory (ENOENT)'],
    [sysErr('EACCES', 'open', { path: '/etc/shadow' }), 'cannot open /etc/shadow: permission denied (EACCES)'],
    [sysErr('EADDRINUSE', 'listen', { address: '/run/pptpctl/pptpctl.sock' }), 'cannot listen on /run/pptpctl/pptpctl.sock: the address is already in use (EADDRINUSE)'],
    [sysErr('EPERM', 'mkdir', { path: '/run/pptpctl' }), 'cannot create the directory /run/pptpctl: operation not permitted (needs root or a capability) (EPERM)'],
  ])('%s', (e, text) => {
    expect(isSystemError(e)).toBe(true);
    expect(describeSystemError(e as NodeJS.ErrnoException)).toBe(text);
  });

  it('notASystemError_withoutSyscall', () => {
    expect(isSystemError(Object.assign(new Error('x'), { code: 'keychain-failed' }))).toBe(false);
    expect(isSystemError('ENOENT')).toBe(false);
  });
});

describe('plainErrnoText', () => {
  it('nodeFormat_insideAMessage_isRewritten', () => {
    expect(plainErrnoText("TUN failed: EACCES: permission denied, open '/dev/net/tun'")).toBe('TUN failed: cannot open /dev/net/tun: permission denied (EACCES)');
  });
  it('bareCodes_getTheirWords', () => {
    expect(plainErrnoText('connect ECONNREFUSED 10.0.0.1:1723')).toBe('connect connection refused (nothing listens there) (ECONNREFUSED) 10.0.0.1:1723');
  });
  it('aCodeAloneInParentheses_getsItsWordsInFront', () => {
    expect(plainErrnoText('Cannot use /root/x as the profiles directory (EACCES).')).toBe('Cannot use /root/x as the profiles directory (permission denied, EACCES).');
  });
  it('alreadyPlain_orUnknown_isLeftAlone', () => {
    const plain = 'cannot open /x: permission denied (EACCES)';
    expect(plainErrnoText(plain)).toBe(plain);
    expect(plainErrnoText('ESCAPE and EOF are words, EFOO is unknown')).toBe('ESCAPE and EOF are words, EFOO is unknown');
  });
});
