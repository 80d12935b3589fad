import { describe, expect, it } from 'vitest';
import { defaultConfigDir } from '../../../main/profiles/config-dir';

describe('defaultConfigDir', () => {
  it('explicitEnv_wins', () => {
    expect(defaultConfigDir({ PPTP_CONFIG_DIR: '/srv/pptp', XDG_CONFIG_HOME: '/x' }, '/home/a')).toBe('/srv/pptp');
  });
  it('xdgConfigHome_used_whenAbsolute', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/a')).toBe('/x/cfg/pptp-manager');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: 'relative' }, '/home/a')).toBe('/home/a/.config/pptp-manager');
  });
  it('fallsBackToDotConfig', () => {
    expect(defaultConfigDir({}, '/home/a')).toBe('/home/a/.config/pptp-manager');
  });
});
