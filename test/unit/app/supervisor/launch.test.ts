/** Launch-mode decisions: how the app starts the privileged tunnel service. */
import { describe, expect, it } from 'vitest';
import {
  chooseServiceCommand,
  DARWIN_SERVICE_SOCKET,
  describeCommand,
  hasNetworkCaps,
  LINUX_SERVICE_SOCKET,
  parseEffectiveCaps,
  privilegeModeOf,
} from '../../../../main/app/supervisor/launch';

const paths = { execPath: '/opt/app/pptp-manager', isElectron: true, serviceScript: '/opt/app/resources/app/dist/service.mjs', launcherPath: '/usr/lib/pptp-manager/pptp-manager-service' };

describe('chooseServiceCommand', () => {
  it('root_runsTheServiceDirectly_asNodeInElectron', () => {
    expect(chooseServiceCommand({ platform: 'linux', uid: 0, capEff: 0n }, paths)).toEqual({
      mode: 'direct',
      command: '/opt/app/pptp-manager',
      args: ['--max-semi-space-size=2', '/opt/app/resources/app/dist/service.mjs'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('capabilities_countAsPrivileged', () => {
    const caps = parseEffectiveCaps('Name:\tnode\nCapEff:\t0000000000003000\n');
    expect(caps).toBe(0x3000n);
    expect(hasNetworkCaps(caps)).toBe(true);
    expect(hasNetworkCaps(0x1000n)).toBe(false); // NET_ADMIN alone is not enough
    expect(chooseServiceCommand({ platform: 'linux', uid: 1000, capEff: caps }, { ...paths, isElectron: false }).mode).toBe('direct');
  });

  it('unprivileged_goesThroughPkexecAndTheLauncher_noSecretsInArgs', () => {
    const c = chooseServiceCommand({ platform: 'linux', uid: 1000, capEff: 0n }, paths);
    expect(c).toEqual({ mode: 'pkexec', command: 'pkexec', args: ['/usr/lib/pptp-manager/pptp-manager-service'] });
    if (c.mode === 'socket') throw new Error('expected a spawn command');
    expect(describeCommand({ ...c, args: ['/a b/c'] })).toBe('pkexec "/a b/c"');
  });

  it('darwin_alwaysTheDaemonSocket_evenAsRoot', () => {
    for (const uid of [0, 501]) {
      expect(chooseServiceCommand({ platform: 'darwin', uid, capEff: undefined }, paths)).toEqual({ mode: 'socket', socketPath: DARWIN_SERVICE_SOCKET });
    }
    expect(DARWIN_SERVICE_SOCKET).toBe('/var/run/pptp-manager/service.sock');
  });

  it('linux_aDaemonSocketWinsOverPkexecAndDirect_onlyWhenItExists', () => {
    expect(chooseServiceCommand({ platform: 'linux', uid: 1000, capEff: 0n }, paths, true)).toEqual({ mode: 'socket', socketPath: LINUX_SERVICE_SOCKET });
    expect(chooseServiceCommand({ platform: 'linux', uid: 0, capEff: 0n }, paths, true).mode).toBe('socket');
    expect(chooseServiceCommand({ platform: 'linux', uid: 0, capEff: 0n }, paths, false).mode).toBe('direct');
  });

  it('describeCommand_namesTheSocketForADaemon', () => {
    expect(describeCommand({ mode: 'socket', socketPath: '/run/x.sock' })).toBe("the helper's socket /run/x.sock");
  });
});

describe('privilegeModeOf', () => {
  const root = { platform: 'darwin' as const, uid: 0, capEff: undefined };
  const user = { platform: 'darwin' as const, uid: 501, capEff: undefined };

  it('privilegeModeOf_macOSIsAlwaysTheDaemon_evenForRoot', () => {
    expect(privilegeModeOf(chooseServiceCommand(user, paths), 'darwin')).toBe('daemon');
    expect(privilegeModeOf(chooseServiceCommand(root, paths), 'darwin')).toBe('daemon');
  });

  it('privilegeModeOf_linuxIsPkexecForAUserAndInProcessForRoot', () => {
    expect(privilegeModeOf(chooseServiceCommand({ ...user, platform: 'linux' }, paths), 'linux')).toBe('pkexec');
    expect(privilegeModeOf(chooseServiceCommand({ ...root, platform: 'linux' }, paths), 'linux')).toBe('in-process');
    expect(privilegeModeOf(chooseServiceCommand({ ...user, platform: 'linux' }, paths, true), 'linux')).toBe('daemon');
  });

  it('privilegeModeOf_windowsWithoutAdminIsUnavailable', () => {
    expect(privilegeModeOf(chooseServiceCommand({ ...user, platform: 'win32' }, paths), 'win32')).toBe('unavailable');
  });
});
