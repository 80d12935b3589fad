import { describe, expect, it } from 'vitest';
import { formatEvent, fmtBytes, fmtDuration } from '../../../main/cli/timeline';

describe('formatEvent', () => {
  it('shows finished phases with timing and detail, hides started ones', () => {
    expect(formatEvent({ event: 'phase', phase: 'auth', status: 'started', at: 10 })).toBeUndefined();
    const line = formatEvent({ event: 'phase', phase: 'auth', status: 'done', at: 40, durationMs: 30, detail: { method: 'mschapv2' } });
    expect(line).toContain('✓ auth');
    expect(line).toContain('30 ms');
    expect(line).toContain('method=mschapv2');
  });
  it('summarises the connection and flags a tunnel without encryption', () => {
    const c = { event: 'connected' as const, server: 's', localIp: '192.168.77.10', remoteIp: '192.168.77.1', dns: ['192.168.77.1'], mtu: 1400, auth: 'mschapv2', elapsedMs: 1500 };
    expect(formatEvent({ ...c, mppe: { bits: 128, stateful: false } })).toContain('MPPE-128 stateless');
    expect(formatEvent({ ...c, mppe: null })).toContain('NO ENCRYPTION');
  });
  it('prints the advice for errors', () => {
    const text = formatEvent({ event: 'error', reason: 'gre-blocked', message: 'no GRE within 8 s' })!;
    expect(text).toContain('[gre-blocked]');
    expect(text).toMatch(/protocol 47/);
  });
  it('prints the refusal advice when the error detail names one (the method and the flag to allow it)', () => {
    const text = formatEvent({
      event: 'error',
      reason: 'auth-method-refused',
      message: 'The server requires PAP, which this profile does not allow (allowed: MS-CHAPv2).',
      detail: { layer: 'LCP', refusal: 'auth-method', serverOffer: 'PAP', serverMethod: 'pap', allowed: 'MS-CHAPv2', allowedMethods: 'mschapv2' },
    })!;
    expect(text).toContain('[auth-method-refused]');
    expect(text).toContain('The server requires PAP, which this profile does not allow.');
    expect(text).toContain('--auth mschapv2,pap');
  });
  it('warns when the network was not restored', () => {
    expect(formatEvent({ event: 'disconnected', reason: 'local-disconnect', restored: false })).toContain('pptpctl recover');
  });
  it('says "network restored" only when routes/DNS were reached', () => {
    const e = { event: 'disconnected' as const, reason: 'server-not-found' as const, restored: true };
    expect(formatEvent(e, { networkTouched: false })).toBe('Disconnected (server-not-found); no routes or DNS were changed.');
    expect(formatEvent(e, { networkTouched: true })).toContain('network restored');
  });
  it('colours the marks through paint', () => {
    const line = formatEvent({ event: 'phase', phase: 'tcp', status: 'failed', at: 1 }, { paint: (c, t) => `<${c}>${t}` });
    expect(line).toMatch(/^ {2}<red>✗ TCP/);
  });
  it('formats uptimes', () => {
    expect(fmtDuration(12_400)).toBe('12 s');
    expect(fmtDuration(245_000)).toBe('4 min 05 s');
    expect(fmtDuration(2 * 86400_000 + 3_600_000)).toBe('2 d 1 h 00 min');
  });
  it('formats sizes', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(20 * 1024 * 1024)).toBe('20.0 MiB');
  });
});
