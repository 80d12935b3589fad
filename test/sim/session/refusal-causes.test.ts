/**
 * When the client refused the server's proposal, the session ends naming that refusal — at
 * once, whatever the server does next (a Call-Disconnect-Notify like accel-ppp, an LCP
 * Terminate-Request like pppd, Naks like mpd5, an EAP Failure like RRAS), never as a bare
 * "the server hung up" or a timeout. Each case runs a whole session against the scripted
 * server (pptp-server.ts) and checks the reason, the words, the structured detail the advice
 * reads (detail.refusal) and how soon after the refusal the session ended.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilClosed, driveUntilUp, expectEnded, PASSWORD, USERNAME, type Sim } from './session-sim';
import type { AuthMethod } from '../../../preload/vocabulary';
import { MPPE_BIT_H, MPPE_BIT_L, MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';
import { CODE_CONFIGURE_NAK } from '../../../main/engine/ppp/packet';
import { PPP_PROTO_LCP } from '../../../main/engine/ppp/protocol';
import { PPP_PROTO_EAP } from '../../../main/engine/ppp/auth/auth-client';
import { EAP_TYPE_NAK } from '../../../main/engine/ppp/auth/eap-packet';
import { EXIT_CODE_BY_REASON } from '../../../main/cli/exit-codes';
import type { PptpServerAuthConfig } from '../support/pptp-server';

function auth(method: AuthMethod, extra: Partial<PptpServerAuthConfig> = {}): PptpServerAuthConfig {
  return { method, username: USERNAME, password: PASSWORD, ...extra };
}

/** The first time the server received a client LCP Configure-Nak (our refusal of its request). */
function clientLcpNakSeen(s: Sim): boolean {
  return (s.server.peer?.framesIn ?? []).some((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === CODE_CONFIGURE_NAK);
}

/** Drives to the instant `seen` holds, then returns that time. */
function driveTo(s: Sim, seen: () => boolean, limitMs = 10_000): number {
  expect(s.pair.driveUntil(seen, s.pair.clock.now + limitMs)).toBe(true);
  return s.pair.clock.now;
}

/** Closed within `ms` of `since` (virtual time): the cause was said at once, not after a timeout. */
function expectClosedWithin(s: Sim, since: number, ms: number): void {
  expect(driveUntilClosed(s, 120_000)).toBe(true);
  const closedAt = s.client.eventsOf('closed')[0]!.at;
  expect(closedAt - since).toBeLessThanOrEqual(ms);
}

describe('authentication method refused (item 3: the server only offers a method the profile does not allow)', () => {
  it.each([
    ['PAP', 'pap'],
    ['CHAP-MD5', 'chap'],
    ['MS-CHAPv1', 'mschap'],
  ] as const)('accel-ppp style: %s only, the server clears the call after our Nak -> auth-method-refused at once', (label, method) => {
    const s = createSim({ client: { allowedAuth: ['mschapv2'] }, server: { auth: auth(method) } });
    const nakAt = driveTo(s, () => clientLcpNakSeen(s));
    // accel-ppp: Call-Disconnect-Notify + Stop-Control-Connection-Request, no LCP Terminate.
    s.server.control.disconnectCall();
    s.server.control.stopControl();
    expectClosedWithin(s, nakAt, 1_000);
    expectEnded(s, 'auth-method-refused');
    const closed = s.client.closed!;
    expect(closed.message).toMatch(new RegExp(`^The server requires ${label}, which this profile does not allow \\(allowed: MS-CHAPv2\\)\\.`));
    // What the server did is kept, after the cause.
    expect(closed.message).toMatch(/Then: The server cleared the call/);
    expect(closed.detail).toMatchObject({ layer: 'LCP', refusal: 'auth-method', serverMethod: method, serverOffer: label, allowedMethods: 'mschapv2' });
    expect(EXIT_CODE_BY_REASON[closed.reason]).toBe(18);
  });

  it('pppd style: the server terminates LCP after refusing our Nak -> auth-method-refused with its words', () => {
    const s = createSim({ client: { allowedAuth: ['mschapv2', 'mschap'] }, server: { auth: auth('pap') } });
    const nakAt = driveTo(s, () => clientLcpNakSeen(s));
    expectClosedWithin(s, nakAt, 1_000);
    expectEnded(s, 'auth-method-refused');
    expect(s.client.closed!.message).toMatch(/requires PAP, which this profile does not allow \(allowed: MS-CHAPv2, MS-CHAPv1\)/);
    expect(s.client.closed!.detail).toMatchObject({ allowedMethods: 'mschapv2,mschap' });
  });

  it('real pppd, --mppe none: it stops asking for PAP after our Nak, LCP opens without authentication, then "peer refused to authenticate" -> auth-method-refused', () => {
    // Seen against Debian's pppd 2.4.9 with require-pap (test/interop/servers.test.ts).
    const s = createSim({ client: { allowedAuth: ['mschapv2'], mppe: { mppe: 'none', allowStateful: false } }, server: { auth: auth('pap'), ppp: { authNakUnusable: 'stop-asking' } } });
    const nakAt = driveTo(s, () => clientLcpNakSeen(s));
    expectClosedWithin(s, nakAt, 1_000);
    expectEnded(s, 'auth-method-refused');
    expect(s.client.closed!.message).toMatch(/^The server requires PAP, which this profile does not allow \(allowed: MS-CHAPv2\)\. \(server said: "peer refused to authenticate"\)/);
    expect(s.client.closed!.detail).toMatchObject({ refusal: 'auth-method', serverMethod: 'pap' });
  });

  it('real pppd, MPPE required: LCP opens without authentication, so no keys; the cause is still our refusal of PAP, at once', () => {
    const s = createSim({ client: { allowedAuth: ['mschapv2'] }, server: { auth: auth('pap'), ppp: { authNakUnusable: 'stop-asking' } } });
    const nakAt = driveTo(s, () => clientLcpNakSeen(s));
    expectClosedWithin(s, nakAt, 1_000);
    expectEnded(s, 'auth-method-refused');
    expect(s.client.closed!.message).toMatch(/^The server requires PAP, which this profile does not allow \(allowed: MS-CHAPv2\)\.$/);
  });

  it('a server that falls silent after our Nak: the LCP give-up still names the refusal', () => {
    let silent = false;
    const s = createSim({
      client: { allowedAuth: ['mschapv2'] },
      server: { auth: auth('pap'), ppp: { hostile: { rewrite: (protocol, info) => (silent ? [] : [{ protocol, info }]) } } },
    });
    driveTo(s, () => clientLcpNakSeen(s));
    silent = true;
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'auth-method-refused');
    expect(s.client.closed!.message).toMatch(/requires PAP/);
  });

  it('the server accepts our Nak and switches: no refusal is reported, the tunnel comes up', () => {
    const s = createSim({
      client: { allowedAuth: ['mschapv2'] },
      server: { ppp: { authDemand: 'pap', authAlternatives: ['mschapv2'] } },
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.auth).toBe('mschapv2');
  });
});

describe('EAP type we do not do (RRAS offering only PEAP or EAP-TLS)', () => {
  /** The client's EAP Legacy Nak, as the server received it. */
  const eapNakSeen = (s: Sim) =>
    (s.server.peer?.framesIn ?? []).some((f) => f.protocol === PPP_PROTO_EAP && f.info[0] === 2 && f.info[4] === EAP_TYPE_NAK);

  it.each([
    [25, 'PEAP'],
    [13, 'EAP-TLS'],
  ])('type %i (%s): EAP Failure after our Nak -> auth-method-refused naming it, at once', (type, name) => {
    const s = createSim({
      client: { allowedAuth: ['eap'], ppp: { eapTypes: ['mschapv2'] } },
      // The scripted server's own method is MD5 (which this profile does not allow): after our
      // Nak of `type` it has nothing left and sends EAP Failure.
      server: { auth: auth('eap', { eapMethod: 'md5', eapFirstType: type }) },
    });
    const nakAt = driveTo(s, () => eapNakSeen(s));
    expectClosedWithin(s, nakAt, 1_000);
    expectEnded(s, 'auth-method-refused');
    expect(s.client.closed!.message).toMatch(new RegExp(`asked for ${name} \\(EAP type ${type}\\), which this client does not do`));
    expect(s.client.closed!.detail).toMatchObject({ layer: 'Authentication', refusal: 'eap-type', eapType: type });
  });

  it('PEAP offered first, EAP-MS-CHAPv2 after our Nak: connects (the refusal was moot)', () => {
    const s = createSim({
      client: { allowedAuth: ['eap'] },
      server: { auth: auth('eap', { eapMethod: 'mschapv2', eapFirstType: 25 }) },
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.auth).toBe('eap');
  });
});

describe('encryption refused by the profile (item 3: MPPE off, stateful, key length)', () => {
  it('the server requires MPPE, the profile has --mppe none: its Terminate after our CCP Protocol-Reject -> encryption-refused (mppe-off)', () => {
    const s = createSim({ client: { mppe: { mppe: 'none', allowStateful: false } } });
    const rejectedAt = driveTo(s, () => (s.server.peer?.observed.protocolRejects ?? []).includes(0x80fd));
    // pppd with require-mppe-128 and accel-ppp both end the link when the client refuses CCP.
    s.server.terminatePpp(rejectedAt, 'MPPE required but peer refused');
    expectClosedWithin(s, rejectedAt, 1_000);
    expectEnded(s, 'encryption-refused');
    expect(s.client.closed!.message).toBe(
      'The server requires MPPE encryption, and this profile turns encryption off (MPPE: none), so we refused its CCP. (server said: "MPPE required but peer refused")',
    );
    expect(s.client.closed!.detail).toMatchObject({ layer: 'CCP', refusal: 'mppe-off' });
    expect(EXIT_CODE_BY_REASON[s.client.closed!.reason]).toBe(7);
  });

  it('MPPE off, the server offers only compression in CCP and then hangs up: not blamed on encryption', () => {
    const s = createSim({
      client: { mppe: { mppe: 'none', allowStateful: false } },
      server: { ppp: { mppeOffer: MPPE_BIT_H } }, // an MPPE option naming no key length
    });
    const rejectedAt = driveTo(s, () => (s.server.peer?.observed.protocolRejects ?? []).includes(0x80fd));
    s.server.terminatePpp(rejectedAt, 'bye');
    expect(driveUntilClosed(s)).toBe(true);
    expectEnded(s, 'peer-disconnected');
  });

  it('mpd5 style: the server offers only stateful MPPE, the profile allows stateless only -> encryption-refused (mppe-stateful) at once', () => {
    const s = createSim({ client: { mppe: { mppe: 'require-any', allowStateful: false } }, server: { ppp: { mppeOffer: MPPE_BIT_S } } });
    const authAt = driveTo(s, () => s.client.phaseLog.includes('auth:done'));
    // The Nak exchange converges or gives up without any timer: well under a restart period.
    expectClosedWithin(s, authAt, 1_000);
    expectEnded(s, 'encryption-refused');
    expect(s.client.closed!.message).toMatch(/offers only stateful MPPE \(128-bit, without the stateless bit\), and this profile allows stateless MPPE only/);
    expect(s.client.closed!.detail).toMatchObject({ refusal: 'mppe-stateful', serverOffer: '128-bit stateful' });
  });

  it('the same server with --stateful allowed: connects stateful', () => {
    const s = createSim({ client: { mppe: { mppe: 'require-any', allowStateful: true } }, server: { ppp: { mppeOffer: MPPE_BIT_S } } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 128, stateful: true });
  });

  it('the server offers only 40-bit keys, the profile requires 128 -> encryption-refused (mppe-key-length) at once', () => {
    const s = createSim({ server: { ppp: { mppeOffer: MPPE_BIT_L | MPPE_BIT_H } } });
    const authAt = driveTo(s, () => s.client.phaseLog.includes('auth:done'));
    expectClosedWithin(s, authAt, 1_000);
    expectEnded(s, 'encryption-refused');
    expect(s.client.closed!.message).toMatch(/offers MPPE with 40-bit keys only; this profile requires 128-bit encryption/);
    expect(s.client.closed!.detail).toMatchObject({ refusal: 'mppe-key-length', offeredBits: '40', allowed: '128-bit' });
  });

  it('the same server with --mppe 40: connects with 40-bit keys', () => {
    const s = createSim({
      client: { mppe: { mppe: 'require-any', allowedBits: [40], allowStateful: false } },
      server: { ppp: { mppeOffer: MPPE_BIT_L | MPPE_BIT_H } },
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 40, stateful: false });
  });
});
