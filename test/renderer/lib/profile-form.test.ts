/** The editor's form model: dirtiness, the sections fields live in, and the closed sections' summaries. */
import { describe, expect, it } from 'vitest';
import { AUTH_METHOD_LABELS, MPPE_REQUIREMENT_LABELS } from '../../../preload/vocabulary';
import { emptyForm, isFormDirty, sectionOf, sectionsWithErrors, sectionSummary, validateForm } from '../../../renderer/src/lib/profile-form';

const LABELS = { auth: AUTH_METHOD_LABELS, mppe: MPPE_REQUIREMENT_LABELS };

describe('isFormDirty', () => {
  it('sameValues_isClean_anyChange_isDirty', () => {
    const a = emptyForm();
    expect(isFormDirty(a, emptyForm())).toBe(false);
    expect(isFormDirty(a, { ...a, name: 'x' })).toBe(true);
    expect(isFormDirty(a, { ...a, password: 'typed' })).toBe(true);
    expect(isFormDirty(a, { ...a, auth: ['mschapv2', 'pap'] })).toBe(true);
    // A new array with the same methods is not a change.
    expect(isFormDirty(a, { ...a, auth: ['mschapv2'] })).toBe(false);
  });
});

describe('sections', () => {
  it('everyFieldHasOnePlace', () => {
    expect(sectionOf('name')).toBeNull();
    expect(sectionOf('domain')).toBeNull();
    expect(sectionOf('auth')).toBe('security');
    expect(sectionOf('cidrs')).toBe('routes');
    expect(sectionOf('mtu')).toBe('mtu');
    expect(sectionOf('lcpEchoFailures')).toBe('keepalive');
    expect(sectionOf('reconnectMaxAttempts')).toBe('reconnect');
  });

  it('sectionsWithErrors_namesTheSectionsOfTheSchemasErrors', () => {
    const v = validateForm({ ...emptyForm(), name: 'A', server: 'vpn.example.com', mtu: '99999', lcpEchoIntervalS: '-1', auth: [] });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(sectionsWithErrors(v.errors)).toEqual(['security', 'mtu', 'keepalive']);
    expect(sectionsWithErrors({ name: 'Name is required' })).toEqual([]);
  });

  it('summaries_sayTheValuesOfAClosedSection', () => {
    const f = emptyForm();
    expect(sectionSummary('security', f, LABELS)).toBe('MS-CHAPv2; encryption required, 128-bit only (recommended)');
    expect(sectionSummary('routes', f, LABELS)).toBe("All traffic; the VPN's DNS");
    expect(sectionSummary('routes', { ...f, routesMode: 'split', cidrs: '10.0.0.0/8\n192.168.0.0/16', usePeerDns: false }, LABELS)).toBe('Split tunnel, 2 networks; own DNS');
    expect(sectionSummary('mtu', f, LABELS)).toBe('Negotiated');
    expect(sectionSummary('mtu', { ...f, mtu: '1400' }, LABELS)).toBe('1400');
    expect(sectionSummary('keepalive', { ...f, lcpEchoIntervalS: '0' }, LABELS)).toBe('Off');
    expect(sectionSummary('keepalive', { ...f, lcpEchoIntervalS: '30', lcpEchoFailures: '1' }, LABELS)).toBe('Every 30 s, dead after 1 miss');
    expect(sectionSummary('reconnect', { ...f, reconnectEnabled: false }, LABELS)).toBe('Off');
    expect(sectionSummary('reconnect', { ...f, reconnectEnabled: true, reconnectMaxAttempts: '0' }, LABELS)).toBe('On, no limit');
  });
});
