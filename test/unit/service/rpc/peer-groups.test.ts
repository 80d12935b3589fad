/** Group lookups: fixed argv, parsed output, a brief cache that never keeps a failure. */
import { describe, expect, it } from 'vitest';
import { GROUP_CACHE_MS, parseDsclPrimaryGroupId, parseGetentGroup, parseIdGroups, PeerGroups, type RunTool } from '../../../../main/service/rpc/peer-groups';

function recordingRunner(answers: Record<string, { code: number; stdout: string }>) {
  const calls: string[][] = [];
  const run: RunTool = async (file, args) => {
    calls.push([file, ...args]);
    return answers[[file, ...args].join(' ')] ?? { code: 1, stdout: '' };
  };
  return { run, calls };
}

describe('parsers', () => {
  it('idG_spaceSeparatedGids_elseNull', () => {
    // GNU coreutils `id -G 1000` on Debian 12; macOS `id -G 501` prints the same shape ("20 12 61 79 80 ...").
    expect(parseIdGroups('1000 24 27 100\n')).toEqual([1000, 24, 27, 100]);
    expect(parseIdGroups('20 12 61 79 80 81 98 701 33 100 204 250 395 398 399 400\n')).toHaveLength(16);
    expect(parseIdGroups('')).toBeNull();
    expect(parseIdGroups('id: 99999: no such user')).toBeNull();
    expect(parseIdGroups('1000 -1')).toBeNull();
  });

  it('getent_exactNameOnly', () => {
    expect(parseGetentGroup('admin:x:80:alice,bob\n', 'admin')).toBe(80);
    expect(parseGetentGroup('administrators:x:81:\n', 'admin')).toBeNull();
    expect(parseGetentGroup('admin:x:eighty:\n', 'admin')).toBeNull();
  });

  it('dscl_primaryGroupId', () => {
    // `dscl . -read /Groups/admin PrimaryGroupID` on macOS 14 prints this one line.
    expect(parseDsclPrimaryGroupId('PrimaryGroupID: 80\n')).toBe(80);
    expect(parseDsclPrimaryGroupId('<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n')).toBeNull();
  });
});

describe('PeerGroups', () => {
  it('groupsOf_runsIdWithFixedArgv_andCachesBriefly', async () => {
    let now = 1_000;
    const { run, calls } = recordingRunner({ 'id -G 65534': { code: 0, stdout: '65534\n' } });
    const groups = new PeerGroups(run, () => now);
    expect(await groups.groupsOf(65534)).toEqual([65534]);
    expect(await groups.groupsOf(65534)).toEqual([65534]);
    expect(calls).toEqual([['id', '-G', '65534']]);
    now += GROUP_CACHE_MS;
    await groups.groupsOf(65534);
    expect(calls).toHaveLength(2);
  });

  it('groupsOf_failureIsNull_andNotCached', async () => {
    const { run, calls } = recordingRunner({});
    const groups = new PeerGroups(run);
    expect(await groups.groupsOf(65533)).toBeNull();
    expect(await groups.groupsOf(65533)).toBeNull();
    expect(calls).toHaveLength(2);
    expect(await groups.groupsOf(-5)).toBeNull();
    expect(calls).toHaveLength(2); // an impossible uid never reaches id(1)
  });

  it('gidOf_getentOnLinux_dsclOnMac', async () => {
    const { run, calls } = recordingRunner({
      'getent group nogroup': { code: 0, stdout: 'nogroup:x:65534:\n' },
      'dscl . -read /Groups/admin PrimaryGroupID': { code: 0, stdout: 'PrimaryGroupID: 80\n' },
    });
    const groups = new PeerGroups(run);
    expect(await groups.gidOf('nogroup', 'linux')).toBe(65534);
    expect(await groups.gidOf('admin', 'darwin')).toBe(80);
    expect(await groups.gidOf('missing', 'linux')).toBeNull();
    expect(calls[1]).toEqual(['dscl', '.', '-read', '/Groups/admin', 'PrimaryGroupID']);
  });
});
