import { describe, expect, it } from 'vitest';
import { PPP_PROTO_PAP } from '../../../../../main/engine/ppp/auth/auth-client';
import { PapClient, encodePapReply, parsePapPacket } from '../../../../../main/engine/ppp/auth/pap';
import { seededRandom } from '../../../../../main/engine/random';
import { encodeAuthPacket } from '../../../../../main/engine/ppp/auth/auth-packet';
import { PapAuthenticator } from '../../../../sim/support/authenticators';
import { exposedText, runExchange } from './drive';

const credentials = { username: 'alice', password: 's3cret-Pass' };
const text = (s: string) => new TextEncoder().encode(s);

function client(extra: Partial<ConstructorParameters<typeof PapClient>[0]> = {}) {
  return new PapClient({ credentials, random: seededRandom(7), ...extra });
}

function started(now = 0) {
  const c = client();
  c.start(now);
  const request = c.pollTransmit()!;
  const parsed = parsePapPacket(request);
  if (!parsed.ok || parsed.value.code !== 'request') throw new Error('no request');
  return { c, request, id: parsed.value.identifier };
}

describe('PapClient', () => {
  it('start_sendsAuthenticateRequestWithPeerIdAndPassword', () => {
    const { c, request } = started();
    expect(c.protocol).toBe(PPP_PROTO_PAP);
    const p = parsePapPacket(request);
    expect(p.ok && p.value.code === 'request' && new TextDecoder().decode(p.value.peerId)).toBe('alice');
    expect(p.ok && p.value.code === 'request' && new TextDecoder().decode(p.value.password)).toBe('s3cret-Pass');
    expect(c.nextTimeout()).toBe(3000);
  });

  it('reqSent_receivesAck_succeedsWithTheServerMessage', () => {
    const { c, id } = started();
    c.handlePacket(10, encodePapReply('ack', id, text('Welcome aboard')));
    expect(c.pollResult()).toEqual({ kind: 'success', method: 'pap', message: 'Welcome aboard' });
    expect(c.nextTimeout()).toBeUndefined();
    expect(c.pollResult()).toBeUndefined(); // reported once
  });

  it('reqSent_receivesAckWithoutMessageField_succeeds', () => {
    const { c, id } = started();
    c.handlePacket(10, encodeAuthPacket(2, id, new Uint8Array(0)));
    expect(c.pollResult()?.kind).toBe('success');
  });

  it('reqSent_receivesNak_failsWithTheServersMessage', () => {
    const { c, id } = started();
    c.handlePacket(10, encodePapReply('nak', id, text('Login incorrect')));
    const r = c.pollResult();
    expect(r?.kind).toBe('failure');
    if (r?.kind !== 'failure') return;
    expect(r.failure.reason).toBe('auth-failed');
    expect(r.failure.message).toContain('Login incorrect');
  });

  it('reqSent_receivesReplyForAnotherIdentifier_ignoresAndCounts', () => {
    const { c, id } = started();
    c.handlePacket(10, encodePapReply('ack', (id + 1) & 0xff, text('late')));
    expect(c.pollResult()).toBeUndefined();
    expect(c.counters.ignored).toBe(1);
    c.handlePacket(11, encodePapReply('ack', id, text('')));
    expect(c.pollResult()?.kind).toBe('success');
  });

  it('reqSent_receivesLyingLengthsAndUnknownCodes_ignoresThemWithoutThrowing', () => {
    const { c, id } = started();
    const bad = [
      Uint8Array.of(2, id, 0),
      Uint8Array.of(2, id, 0, 40, 0),
      Uint8Array.of(2, id, 0, 2),
      encodeAuthPacket(9, id, text('x')),
      encodeAuthPacket(2, id, Uint8Array.of(20, 65)), // Msg-Length beyond the packet
      encodePapReply('nak', id, text('x')).subarray(0, 0),
    ];
    for (const b of bad) c.handlePacket(5, b);
    expect(c.pollResult()).toBeUndefined();
    expect(c.counters.ignored).toBe(bad.length);
    expect(c.counters.lastIgnored).toBeTypeOf('string');
  });

  it('reqSent_timeout_retransmitsTheSameRequestThenGivesUpAfterMaxRequests', () => {
    const c = client({ restartMs: 1000, maxRequests: 3 });
    c.start(0);
    const first = c.pollTransmit()!;
    expect(c.nextTimeout()).toBe(1000);
    c.handleTimeout(999); // not yet
    expect(c.pollTransmit()).toBeUndefined();
    c.handleTimeout(1000);
    expect(c.pollTransmit()).toEqual(first); // same identifier and contents
    expect(c.nextTimeout()).toBe(2000);
    c.handleTimeout(2000);
    expect(c.pollTransmit()).toEqual(first);
    expect(c.pollResult()).toBeUndefined();
    c.handleTimeout(3000);
    expect(c.pollTransmit()).toBeUndefined();
    const r = c.pollResult();
    expect(r?.kind === 'failure' && r.failure.reason).toBe('negotiation-failed');
    expect(r?.kind === 'failure' && r.failure.message).toContain('did not answer');
    expect(c.nextTimeout()).toBeUndefined();
    expect(c.counters.transmitted).toBe(3);
  });

  it('defaults_3sRestartAnd10Requests', () => {
    const c = client();
    c.start(0);
    let sent = 0;
    for (let now = 0; c.pollResult() === undefined && now <= 60_000; now = c.nextTimeout() ?? 60_001) {
      c.handleTimeout(now);
      while (c.pollTransmit() !== undefined) sent++;
    }
    expect(sent).toBe(10);
  });

  it('lateAckAfterRetransmission_stillSucceeds', () => {
    const { c, id } = started();
    c.handleTimeout(3000);
    c.pollTransmit();
    c.handlePacket(3100, encodePapReply('ack', id, text('ok')));
    expect(c.pollResult()?.kind).toBe('success');
  });

  it('refuses credentials longer than PAP can carry', () => {
    const c = new PapClient({ credentials: { username: 'u', password: 'p'.repeat(300) }, random: seededRandom(1) });
    c.start(0);
    expect(c.pollTransmit()).toBeUndefined();
    const r = c.pollResult();
    expect(r?.kind === 'failure' && r.failure.reason).toBe('auth-failed');
    expect(r?.kind === 'failure' && r.failure.message).toContain('255');
    expect(r?.kind === 'failure' && r.failure.message).not.toContain('ppppp');
  });
});

describe('PapClient against PapAuthenticator', () => {
  const server = (hostile = {}) => new PapAuthenticator({ ...credentials, random: seededRandom(3), hostile });

  it('right password: both sides agree on success', () => {
    const ex = runExchange(client(), server());
    expect(ex.outcome?.kind).toBe('success');
    expect(ex.serverResult).toEqual({ ok: true });
  });

  it('wrong password: auth-failed', () => {
    const ex = runExchange(new PapClient({ credentials: { ...credentials, password: 'nope' }, random: seededRandom(7) }), server());
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.reason).toBe('auth-failed');
    expect(ex.serverResult).toEqual({ ok: false });
  });

  it('garbage before every reply: still succeeds, garbage counted', () => {
    const c = client();
    const ex = runExchange(c, server({ garbage: true }));
    expect(ex.outcome?.kind).toBe('success');
    expect(c.counters.ignored).toBe(5);
  });

  it('a server that echoes the password in its Nak: the password is not repeated', () => {
    const c = client();
    const ex = runExchange(c, server({ failWith: { errorCode: 0 }, echoPassword: true }));
    expect(ex.outcome?.kind).toBe('failure');
    expect(exposedText(c, ex.outcome)).not.toContain(credentials.password);
    expect(exposedText(c, ex.outcome)).toContain('***');
  });

  it('a silent server: gives up after the retransmissions', () => {
    const c = client({ restartMs: 100, maxRequests: 2 });
    const s = server({ silent: true });
    runExchange(c, s);
    c.handleTimeout(100);
    c.pollTransmit();
    c.handleTimeout(200);
    expect(c.pollResult()?.kind).toBe('failure');
  });
});
