/**
 * The advice for a refusal of ours (main/service/doctor/refusal-advice.ts via adviceFor): built
 * from the Failure the engine reports (ppp/refusal.ts), it names what the server wanted and how
 * to allow it, in the GUI's words (the profile's Security section) and pptpctl's flags.
 */
import { describe, expect, it } from 'vitest';
import { ADVICE, adviceFor } from '../../../../main/service/doctor/advice';
import { refusalFailure, type Refusal } from '../../../../main/engine/ppp/refusal';
import { NEGOTIATION_REFUSALS } from '../../../../preload/vocabulary';

const advise = (r: Refusal) => adviceFor(refusalFailure(r));

describe('adviceFor: refusals of the server proposal', () => {
  it('auth-method: names the method, the profile section and the --auth list to use', () => {
    const a = advise({ kind: 'auth-method', serverOffer: 'PAP', serverMethod: 'pap', allowed: ['mschapv2'] });
    expect(a.title).toBe('The server requires PAP, which this profile does not allow');
    expect(a.fix).toContain('under Security in the profile');
    expect(a.fix).toContain('--auth mschapv2,pap');
    expect(a.fix).toMatch(/PAP sends the password unprotected and yields no MPPE keys.*--mppe none/);
  });

  it.each([
    ['mschap', 'MS-CHAPv1', /MS-CHAPv1 is weak/],
    ['chap', 'CHAP-MD5', /CHAP-MD5 yields no MPPE keys/],
    ['eap', 'EAP', /EAP-MS-CHAPv2 and EAP-MD5/],
  ] as const)('auth-method %s: says what allowing %s costs', (method, label, note) => {
    const a = advise({ kind: 'auth-method', serverOffer: label, serverMethod: method, allowed: ['mschapv2', 'pap'] });
    expect(a.title).toContain(label);
    expect(a.fix).toContain(`--auth mschapv2,pap,${method}`);
    expect(a.fix).toMatch(note);
  });

  it('auth-method the client cannot speak (SPAP): no flag to suggest, ask for MS-CHAPv2', () => {
    const a = advise({ kind: 'auth-method', serverOffer: 'SPAP (Shiva PAP), a proprietary method this client does not speak', allowed: ['mschapv2'] });
    expect(a.title).toBe('The server requires an authentication method this client does not speak');
    expect(a.fix).toMatch(/asked for SPAP.*allow MS-CHAPv2/);
    expect(a.fix).not.toContain('--auth');
  });

  it('eap-type: names PEAP and says which EAP methods the client does', () => {
    const a = advise({ kind: 'eap-type', eapTypes: [25], allowed: ['EAP-MS-CHAPv2'] });
    expect(a.title).toBe('The server wants PEAP (EAP type 25), which this client does not do');
    expect(a.fix).toMatch(/EAP-MS-CHAPv2 and EAP-MD5 only/);
    expect(a.fix).toMatch(/untick EAP under Security/);
  });

  it('mppe-off: how to turn encryption back on, in the profile and with --mppe', () => {
    const a = advise({ kind: 'mppe-off' });
    expect(a.title).toBe('The server requires encryption, and this profile turns it off');
    expect(a.fix).toContain('"Required, 128-bit only (recommended)"');
    expect(a.fix).toContain('--mppe 128');
    expect(a.fix).toContain('--mppe none');
  });

  it('mppe-stateful: the profile checkbox, --stateful and the mpd5 setting', () => {
    const a = advise({ kind: 'mppe-stateful', bits: [128] });
    expect(a.title).toBe('The server insists on stateful MPPE, which this profile does not allow');
    expect(a.fix).toContain('"Allow stateful MPPE"');
    expect(a.fix).toContain('--stateful');
    expect(a.fix).toContain('set mppc yes stateless');
  });

  it('mppe-key-length: names the length and the --mppe value that accepts it', () => {
    const a = advise({ kind: 'mppe-key-length', offered: [40], allowed: [128] });
    expect(a.title).toBe('The server offers only 40-bit MPPE keys, which this profile refuses');
    expect(a.fix).toContain('--mppe 40');
    expect(a.fix).toContain('"Required, 40/56/128-bit"');
    const both = advise({ kind: 'mppe-key-length', offered: [40, 56], allowed: [128] });
    expect(both.fix).toContain('--mppe 40 or --mppe 56');
    const none = advise({ kind: 'mppe-key-length', offered: [], allowed: [128] });
    expect(none.title).toMatch(/without a key length/);
  });

  it('every refusal kind has its own advice, distinct from the reason table', () => {
    const samples: Record<(typeof NEGOTIATION_REFUSALS)[number], Refusal> = {
      'auth-method': { kind: 'auth-method', serverOffer: 'PAP', serverMethod: 'pap', allowed: [] },
      'eap-type': { kind: 'eap-type', eapTypes: [13], allowed: [] },
      'mppe-off': { kind: 'mppe-off' },
      'mppe-stateful': { kind: 'mppe-stateful', bits: [128] },
      'mppe-key-length': { kind: 'mppe-key-length', offered: [56], allowed: [128] },
    };
    for (const kind of NEGOTIATION_REFUSALS) {
      const f = refusalFailure(samples[kind]);
      expect(f.detail?.refusal).toBe(kind);
      expect(adviceFor(f)).not.toEqual(ADVICE[f.reason]);
    }
  });

  it('without a refusal (or with an unknown one) the reason advice stands', () => {
    expect(adviceFor({ reason: 'encryption-refused', detail: { layer: 'CCP' } })).toEqual(ADVICE['encryption-refused']);
    expect(adviceFor({ reason: 'encryption-refused', detail: { refusal: 'made-up' } })).toEqual(ADVICE['encryption-refused']);
    expect(adviceFor({ reason: 'data-path-dead' }).fix).toMatch(/accel-ppp.*Reconnecting usually helps/);
  });
});
