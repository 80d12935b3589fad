import { describe, expect, it } from 'vitest';
import { createExecFileRunner } from '../../../../main/service/net/command-runner';

describe('createExecFileRunner', () => {
  it('runsTheBinaryWithoutAShell_argumentsArriveVerbatim', async () => {
    const run = createExecFileRunner({ paths: { ip: '/bin/echo' } });
    expect(await run('ip', ['-j', 'route', 'get', '192.0.2.1'])).toEqual({ exitCode: 0, stdout: '-j route get 192.0.2.1\n', stderr: '' });
  });

  it('unsafeArgument_isRefusedBeforeAnythingIsSpawned', async () => {
    // The path does not exist: had it been spawned, the error would be ENOENT, not the refusal.
    const run = createExecFileRunner({ paths: { ip: '/nonexistent/ip' } });
    const result = await run('ip', ['route', 'add', '10.0.0.0/8;reboot']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('refused unsafe argument "10.0.0.0/8;reboot"');
  });

  it('missingBinaryOrFailure_isANonZeroResult_neverAThrow', async () => {
    const missing = await createExecFileRunner({ paths: { ip: '/nonexistent/ip' } })('ip', ['route']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/ENOENT/);
    const failed = await createExecFileRunner({ paths: { ip: '/bin/false' } })('ip', ['route']);
    expect(failed.exitCode).toBe(1);
  });
});
