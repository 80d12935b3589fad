/** The service's argv: stdio by default, daemon mode only from --listen, every value validated. */
import { describe, expect, it } from 'vitest';
import { ListenArgsError, MAX_SOCKET_PATH_BYTES, parseServiceArgs } from '../../../../main/service/rpc/listen-args';

function codeOf(argv: string[]): string {
  try {
    parseServiceArgs(argv);
  } catch (error) {
    if (error instanceof ListenArgsError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('parseServiceArgs', () => {
  it('noArguments_isStdioMode', () => {
    expect(parseServiceArgs([])).toEqual({ mode: 'stdio' });
  });

  it('listenWithPolicy_isSocketMode_duplicatesFolded', () => {
    expect(
      parseServiceArgs(['--listen', '/var/run/pptp-manager/service.sock', '--allow-uid', '501', '--allow-group', 'admin', '--allow-uid', '501', '--state-dir', '/var/db/pptp-manager']),
    ).toEqual({
      mode: 'socket',
      socketPath: '/var/run/pptp-manager/service.sock',
      policy: { allowUids: [501], allowGroups: ['admin'] },
      stateDir: '/var/db/pptp-manager',
    });
  });

  it('badValues_haveStableCodes', () => {
    expect(codeOf(['--listen', 'relative.sock'])).toBe('bad-socket-path');
    expect(codeOf(['--listen', '/tmp/../etc/x.sock'])).toBe('bad-socket-path');
    expect(codeOf(['--listen', '/tmp/a b.sock'])).toBe('bad-socket-path');
    expect(codeOf(['--listen', '/tmp/dir/'])).toBe('bad-socket-path');
    expect(codeOf(['--listen', `/${'a'.repeat(MAX_SOCKET_PATH_BYTES)}`])).toBe('bad-socket-path');
    expect(codeOf(['--listen', '/s.sock', '--allow-uid', '-1'])).toBe('bad-uid');
    expect(codeOf(['--listen', '/s.sock', '--allow-uid', '0x10'])).toBe('bad-uid');
    expect(codeOf(['--listen', '/s.sock', '--allow-uid', '4294967295'])).toBe('bad-uid');
    expect(codeOf(['--listen', '/s.sock', '--allow-uid', '007'])).toBe('bad-uid');
    expect(codeOf(['--listen', '/s.sock', '--allow-group', 'a;rm'])).toBe('bad-group');
    expect(codeOf(['--listen', '/s.sock', '--allow-group', '-admin'])).toBe('bad-group');
    expect(codeOf(['--listen', '/s.sock', '--state-dir', 'var/db'])).toBe('bad-state-dir');
    expect(codeOf(['--listen', '/s.sock', '--allow-uid'])).toBe('missing-value');
    expect(codeOf(['--listen', '/a.sock', '--listen', '/b.sock'])).toBe('duplicate-option');
    expect(codeOf(['--allow-uid', '501'])).toBe('policy-without-listen');
    expect(codeOf(['--verbose'])).toBe('unknown-option');
  });

  it('uidBounds_zeroAndLargestAccepted', () => {
    expect(parseServiceArgs(['--listen', '/s.sock', '--allow-uid', '0', '--allow-uid', '4294967294'])).toMatchObject({ policy: { allowUids: [0, 4294967294] } });
  });
});
