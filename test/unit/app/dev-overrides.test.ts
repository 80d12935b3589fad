/** developerOverrides: the pure decision main.ts applies — none in a packaged build, and scrubbed. */
import { describe, expect, it } from 'vitest';
import { DEVELOPER_ENV_VARS, developerOverrides } from '../../../main/app/dev-overrides';

const env = {
  PPTP_SERVICE_LAUNCHER: '/tmp/evil-launcher',
  PPTP_SERVICE_COMMAND: '["/tmp/evil","--x"]',
  PPTP_SERVICE_SOCKET: '/tmp/evil.sock',
  PPTP_STATE_DIR: '/tmp/state',
  PPTP_USER_DATA_DIR: '/tmp/data',
  HOME: '/home/alice',
};

describe('developerOverrides', () => {
  it('packaged_nothingTakesEffect_andAllAreScrubbed', () => {
    const o = developerOverrides(env, true);
    expect(o.serviceLauncher).toBeUndefined();
    expect(o.serviceCommand).toBeUndefined();
    expect(o.serviceSocket).toBeUndefined();
    expect(o.userDataDir).toBeUndefined();
    expect(o.scrub).toEqual(DEVELOPER_ENV_VARS);
    expect(o.scrub).toContain('PPTP_STATE_DIR');
    expect(o.ignored).toEqual(['PPTP_SERVICE_LAUNCHER', 'PPTP_SERVICE_COMMAND', 'PPTP_SERVICE_SOCKET', 'PPTP_STATE_DIR', 'PPTP_USER_DATA_DIR']);
  });

  it('packaged_aBadCommandDoesNotEvenParse', () => {
    expect(() => developerOverrides({ PPTP_SERVICE_COMMAND: 'not json' }, true)).not.toThrow();
  });

  it('development_theOverridesApply_andNothingIsScrubbed', () => {
    const o = developerOverrides(env, false);
    expect(o).toMatchObject({
      serviceLauncher: '/tmp/evil-launcher',
      serviceCommand: ['/tmp/evil', '--x'],
      serviceSocket: '/tmp/evil.sock',
      userDataDir: '/tmp/data',
      scrub: [],
      ignored: [],
    });
  });

  it('development_aMalformedCommand_saysWhatItMustBe', () => {
    expect(() => developerOverrides({ PPTP_SERVICE_COMMAND: '{"a":1}' }, false)).toThrow(/JSON array of strings/);
    expect(() => developerOverrides({ PPTP_SERVICE_COMMAND: '[]' }, false)).toThrow(/JSON array of strings/);
  });

  it('unsetOrEmpty_isNoOverride', () => {
    expect(developerOverrides({ PPTP_SERVICE_LAUNCHER: '' }, false)).toEqual({ scrub: [], ignored: [] });
  });
});
