/**
 * pptpctl's per-OS facts with the platform injected: the control socket directory (macOS has no
 * /run) and the privilege wording (macOS has no capabilities).
 */
import { describe, expect, it } from 'vitest';
import { defaultRuntimeDir, privilegeRequirement } from '../../../main/cli/platform';
import { controlSocketPath } from '../../../main/cli/control-socket';

describe('defaultRuntimeDir', () => {
  it('linux_isUnderRun', () => {
    expect(defaultRuntimeDir('linux')).toBe('/run/pptp-manager');
  });
  it('darwin_isUnderVarRun_becauseMacOSHasNoRun', () => {
    expect(defaultRuntimeDir('darwin')).toBe('/var/run/pptpctl');
  });
  it('darwin_isNotTheDaemonsSocketDirectory', () => {
    // The launchd daemon's socket dir is 0755 (the GUI traverses it); pptpctl makes its own 0700.
    expect(defaultRuntimeDir('darwin')).not.toBe('/var/run/pptp-manager');
  });
});

describe('controlSocketPath', () => {
  it('followsThePlatformDefault', () => {
    expect(controlSocketPath({}, 'darwin')).toBe('/var/run/pptpctl/pptpctl.sock');
    expect(controlSocketPath({}, 'linux')).toBe('/run/pptp-manager/pptpctl.sock');
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
