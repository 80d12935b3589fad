/**
 * pptpctl's per-OS facts with the platform injected: the control socket directory (macOS has no
 * /run) and the privilege wording (macOS has no capabilities).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DARWIN_SERVICE_SOCKET, LINUX_SERVICE_SOCKET } from '../../../main/app/supervisor/launch';
import { defaultRuntimeDir, privilegeRequirement } from '../../../main/cli/platform';
import { controlSocketPath } from '../../../main/cli/control-socket';

describe('defaultRuntimeDir', () => {
  it('linux_isUnderRun', () => {
    expect(defaultRuntimeDir('linux')).toBe('/run/pptpctl');
  });
  it('darwin_isUnderVarRun_becauseMacOSHasNoRun', () => {
    expect(defaultRuntimeDir('darwin')).toBe('/var/run/pptpctl');
  });
  it('isNotTheDaemonsSocketDirectory_onEitherOS', () => {
    // The service daemon's socket dir is 0755 (the GUI traverses it); pptpctl makes its own 0700.
    expect(defaultRuntimeDir('darwin')).not.toBe(path.dirname(DARWIN_SERVICE_SOCKET));
    expect(defaultRuntimeDir('linux')).not.toBe(path.dirname(LINUX_SERVICE_SOCKET));
  });
});

describe('controlSocketPath', () => {
  it('followsThePlatformDefault', () => {
    expect(controlSocketPath({}, 'darwin')).toBe('/var/run/pptpctl/pptpctl.sock');
    expect(controlSocketPath({}, 'linux')).toBe('/run/pptpctl/pptpctl.sock');
  });
  it('PPTP_RUNTIME_DIR_winsOnEveryPlatform', () => {
    for (const p of ['linux', 'darwin'] as const) expect(controlSocketPath({ PPTP_RUNTIME_DIR: '/tmp/x' }, p)).toBe('/tmp/x/pptpctl.sock');
  });
  it('anEmptyPPTP_RUNTIME_DIR_fallsBackToTheDefault', () => {
    expect(controlSocketPath({ PPTP_RUNTIME_DIR: '' }, 'darwin')).toBe('/var/run/pptpctl/pptpctl.sock');
  });
});

describe('privilegeRequirement', () => {
  it('linux_namesRootAndTheTwoCapabilities', () => {
    expect(privilegeRequirement('linux')).toBe('root, or CAP_NET_ADMIN and CAP_NET_RAW');
  });
  it('darwin_namesOnlyRoot', () => {
    expect(privilegeRequirement('darwin')).toBe('root');
  });
});
