/** `pptpctl status`: what the connect process adds to the service status, and how it reads. */
import { describe, expect, it } from 'vitest';
import { cliStatusSchema, formatStatus, StatusTracker } from '../../../main/cli/status';
import type { TunnelEvent } from '../../../preload/schema/tunnel';

const connected: TunnelEvent = { event: 'connected', server: '192.0.2.10', localIp: '192.168.77.10', remoteIp: '192.168.77.1', dns: ['192.168.77.1'], mtu: 1396, auth: 'mschapv2', mppe: { bits: 128, stateful: false }, tunName: 'pptp0', elapsedMs: 900 };
const service = { state: 'connected' as const, label: 'Office', connected: { localIp: '192.168.77.10', remoteIp: '192.168.77.1', dns: ['192.168.77.1'], mtu: 1396, auth: 'mschapv2' } };
const stats: TunnelEvent = { event: 'stats', uptimeMs: 3_723_000, rxBytes: 5 * 1024 * 1024, txBytes: 2048, rxPackets: 10, txPackets: 5, rxRate: 1250, txRate: 125 };

describe('StatusTracker', () => {
  it('addsProfile_server_mppe_uptime_andTraffic_fromAStatsReportTakenNow', () => {
    const t = new StatusTracker('Office', 'vpn.example.com');
    t.observe(connected);
    let swallowed: boolean | undefined;
    const s = t.snapshot(service, () => (swallowed = t.observe(stats)));
    expect(swallowed).toBe(true); // not printed by connect
    expect(cliStatusSchema.parse(s)).toMatchObject({ profile: 'Office', server: 'vpn.example.com', serverIp: '192.0.2.10', tunName: 'pptp0', mppe: { bits: 128, stateful: false }, uptimeMs: 3_723_000, rxBytes: 5 * 1024 * 1024, txRate: 125 });
    expect(t.observe(stats)).toBe(false); // a periodic --stats report is printed as usual
  });

  it('whileConnecting_noStatsAreAskedFor', () => {
    const t = new StatusTracker(undefined, '192.0.2.10');
    let asked = false;
    const s = t.snapshot({ state: 'connecting' }, () => (asked = true));
    expect(asked).toBe(false);
    expect(s).toEqual({ state: 'connecting', server: '192.0.2.10' });
  });
});

describe('formatStatus', () => {
  it('readsLikeWgShow', () => {
    const t = new StatusTracker('Office', 'vpn.example.com');
    t.observe(connected);
    const lines = formatStatus(t.snapshot(service, () => t.observe(stats)));
    expect(lines).toEqual([
      'tunnel: Office (pptp0)',
      '  state:      connected',
      '  server:     vpn.example.com (192.0.2.10)',
      '  addresses:  192.168.77.10 (local) ↔ 192.168.77.1 (remote)',
      '  uptime:     1 h 02 min',
      '  received:   5.0 MiB (10.0 kbit/s)',
      '  sent:       2.0 KiB (1.0 kbit/s)',
      '  encryption: MPPE-128 stateless',
      '  auth:       mschapv2',
      '  mtu:        1396',
      '  dns:        192.168.77.1',
    ]);
  });

  it('unencrypted_isSaidPlainly', () => {
    expect(formatStatus({ ...service, mppe: null }).join('\n')).toContain('encryption: NONE (traffic is not encrypted)');
  });
});
