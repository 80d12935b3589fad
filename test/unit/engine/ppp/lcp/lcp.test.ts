import { describe, expect, it } from 'vitest';
import { LCP_OPT_AUTH_PROTOCOL } from '../../../../../main/engine/ppp/lcp/options';
import { optionEmpty, optionU16, optionU32, optionValueU16, optionValueU32 } from '../../../../../main/engine/ppp/packet';
import { fromHex, toHex } from '../../../../../main/engine/wire/bytes';
import { PPTPD_LCP_REQUEST, ackOurs, lastSent, makeLcp, openLcp, optionsOf, receive, receiveRequest, replyOurs } from './lcp-fixtures';

const PAP = '0304 c023';
const CHAP_MD5 = '0305 c22305';
const MSCHAP = '0305 c22380';
const MSCHAPV2 = '0305 c22381';
const EAP = '0304 c227';
const SPAP = '0304 c027';

describe('LCP: our Configure-Request', () => {
  it('asks for MRU 1400, ACCM 0, a random non-zero magic, PFC and ACFC, and no authentication', () => {
    const h = makeLcp();
    const opts = optionsOf(h.sent[0]);
    expect(opts.map((o) => o.type)).toEqual([1, 2, 5, 7, 8]);
    expect(optionValueU16(opts[0]!)).toBe(1400);
    expect(optionValueU32(opts[1]!)).toBe(0);
    expect(optionValueU32(opts[2]!)).not.toBe(0);
    expect(opts.some((o) => o.type === LCP_OPT_AUTH_PROTOCOL)).toBe(false);
  });

  it('leaves out an MRU equal to the default 1500', () => {
    const h = makeLcp({ mru: 1500 });
    expect(optionsOf(h.sent[0]).map((o) => o.type)).toEqual([2, 5, 7, 8]);
  });

  it('uses a fresh magic in another seed (randomness is injected)', () => {
    const a = optionValueU32(optionsOf(makeLcp({ seed: 1 }).sent[0])[2]!);
    const b = optionValueU32(optionsOf(makeLcp({ seed: 2 }).sent[0])[2]!);
    expect(a).not.toBe(b);
  });
});

describe('LCP: the server Naks or Rejects our options', () => {
  it('reqSent_receivesNakOfMru takes a value it can live with', () => {
    const h = makeLcp();
    replyOurs(h, 3, [optionU16(1, 1300)]);
    expect(optionValueU16(optionsOf(lastSent(h, 1))[0]!)).toBe(1300);
  });

  it('reqSent_receivesNakOfMruBelowMinimum stops asking (default 1500 applies)', () => {
    const h = makeLcp();
    replyOurs(h, 3, [optionU16(1, 60)]);
    expect(optionsOf(lastSent(h, 1)).map((o) => o.type)).toEqual([2, 5, 7, 8]);
    ackOurs(h);
    receiveRequest(h, 1, PPTPD_LCP_REQUEST);
    expect(h.ups[0]!.mru).toBe(1500);
  });

  it('reqSent_receivesNakOfAccm uses the suggested map', () => {
    const h = makeLcp();
    replyOurs(h, 3, [optionU32(2, 0x000a0000)]);
    expect(optionValueU32(optionsOf(lastSent(h, 1))[1]!)).toBe(0x000a0000);
  });

  it('reqSent_receivesReject drops each rejected option from the next request', () => {
    const h = makeLcp();
    const ours = optionsOf(lastSent(h, 1));
    replyOurs(h, 4, [ours[0]!, ours[1]!, ours[2]!, ours[3]!, ours[4]!]);
    expect(optionsOf(lastSent(h, 1))).toEqual([]);
    ackOurs(h);
    receiveRequest(h, 1, PPTPD_LCP_REQUEST);
    expect(h.ups[0]).toMatchObject({ mru: 1500, accm: { receive: 0xffffffff }, pfc: { receive: false }, acfc: { receive: false } });
    expect(h.ups[0]!.magic.ours).toBe(0);
  });

  it('reqSent_receivesNakOfPfc handles it as a Reject (the option has no value)', () => {
    const h = makeLcp();
    replyOurs(h, 3, [optionEmpty(7)]);
    expect(optionsOf(lastSent(h, 1)).map((o) => o.type)).toEqual([1, 2, 5, 8]);
  });

  it('ignores a Nak hint for Authentication-Protocol (we never authenticate the server)', () => {
    const h = makeLcp();
    const before = optionsOf(lastSent(h, 1)).map((o) => o.type);
    replyOurs(h, 3, [{ type: 3, data: fromHex('c023') }]);
    expect(optionsOf(lastSent(h, 1)).map((o) => o.type)).toEqual(before);
  });
});

describe('LCP: the server Configure-Request', () => {
  it('acks pptpd request exactly and reports what was negotiated', () => {
    const h = makeLcp();
    receiveRequest(h, 0x10, PPTPD_LCP_REQUEST);
    const ack = lastSent(h, 2)!;
    expect(ack.identifier).toBe(0x10);
    expect(toHex(ack.data)).toBe(toHex(fromHex(PPTPD_LCP_REQUEST)));
    ackOurs(h);
    expect(h.lcp.fsm.state).toBe('opened');
    expect(h.ups[0]).toMatchObject({
      mru: 1400,
      peerMru: 1500,
      auth: { method: 'mschapv2', protocol: 0xc223 },
      accm: { send: 0, receive: 0 },
      pfc: { send: true, receive: true },
      acfc: { send: true, receive: true },
      magic: { peer: 0x1a2b3c4d },
    });
  });

  it('acks a peer MRU and Naks one below 128 with 128', () => {
    const h = makeLcp();
    receiveRequest(h, 1, [optionU16(1, 1300)]);
    expect(lastSent(h, 2)).toBeDefined();
    receiveRequest(h, 2, [optionU16(1, 100)]);
    expect(optionValueU16(optionsOf(lastSent(h, 3))[0]!)).toBe(128);
  });

  it.each([
    ['MS-CHAPv2', MSCHAPV2, ['mschapv2'], 'ack'],
    ['MS-CHAPv1', MSCHAP, ['mschapv2', 'mschap'], 'ack'],
    ['CHAP-MD5', CHAP_MD5, ['chap'], 'ack'],
    ['PAP', PAP, ['pap'], 'ack'],
    ['EAP', EAP, ['eap'], 'ack'],
  ] as const)('acks %s when the profile allows it', (_name, option, allowed, verdict) => {
    const h = makeLcp({ allowedAuth: [...allowed] });
    receiveRequest(h, 3, option);
    expect(verdict).toBe('ack');
    expect(toHex(lastSent(h, 2)!.data)).toBe(toHex(fromHex(option)));
  });

  it.each([
    ['PAP', PAP, ['mschapv2', 'mschap'], 'c22381'],
    ['CHAP-MD5', CHAP_MD5, ['mschap', 'pap'], 'c22380'],
    ['MS-CHAPv2', MSCHAPV2, ['pap'], 'c023'],
    ['EAP', EAP, ['chap'], 'c22305'],
    ['SPAP', SPAP, ['mschapv2'], 'c22381'],
  ] as const)('naks %s with the strongest allowed method', (_name, option, allowed, nak) => {
    const h = makeLcp({ allowedAuth: [...allowed] });
    receiveRequest(h, 3, option);
    const reply = lastSent(h, 3)!;
    expect(reply.identifier).toBe(3);
    expect(toHex(optionsOf(reply)[0]!.data)).toBe(nak);
    expect(h.lcp.authRefusal).toMatchObject({ kind: 'auth-method', allowed });
  });

  it('names SPAP in the refusal message', () => {
    const h = makeLcp();
    receiveRequest(h, 3, SPAP);
    expect(h.lcp.authRefusal).toMatchObject({ kind: 'auth-method', serverOffer: expect.stringMatching(/SPAP/) });
    expect(h.lcp.authRefusal).not.toHaveProperty('serverMethod');
  });

  it('rejects Authentication-Protocol when the profile allows no method', () => {
    const h = makeLcp({ allowedAuth: [] });
    receiveRequest(h, 3, PAP);
    expect(toHex(lastSent(h, 4)!.data)).toBe('0304c023');
  });

  it('naks an unacceptable method Max-Failure times, then rejects it', () => {
    const h = makeLcp();
    for (let i = 0; i < 6; i++) receiveRequest(h, 10 + i, PAP);
    expect(h.sent.filter((p) => p.code === 3)).toHaveLength(5);
    expect(toHex(lastSent(h, 4)!.data)).toBe('0304c023');
  });

  it.each([
    ['Callback (13)', '0d03 06'],
    ['Multilink MRRU (17)', '1104 05dc'],
    ['Short Sequence (18)', '1202'],
    ['Endpoint Discriminator (19)', '1303 00'],
    ['Quality-Protocol (4)', '0408 c025 00000bb8'],
    ['an unknown type', '6304 abcd'],
  ])('rejects %s and acks nothing in that round', (_name, hex) => {
    const h = makeLcp();
    receiveRequest(h, 9, `0206 00000000 ${hex} 0702`);
    const rej = lastSent(h, 4)!;
    expect(toHex(rej.data)).toBe(toHex(fromHex(hex)));
    expect(lastSent(h, 2)).toBeUndefined();
  });

  it('rejects an option given twice', () => {
    const h = makeLcp();
    receiveRequest(h, 9, '0702 0702');
    expect(toHex(lastSent(h, 4)!.data)).toBe('0702');
  });

  it('drops a request with a lying option length (no reply, counted)', () => {
    const h = makeLcp();
    receiveRequest(h, 9, '0206 000000 05f0 1122');
    expect(h.sent.filter((p) => p.code !== 1)).toEqual([]);
    expect(h.lcp.fsm.counters.malformed).toBe(1);
  });
});

describe('LCP: Magic-Number and loopback (RFC 1661 §6.4)', () => {
  it('naks a peer magic equal to ours with another value', () => {
    const h = makeLcp();
    const ours = optionsOf(h.sent[0])[2]!;
    receiveRequest(h, 4, [ours]);
    const nak = optionsOf(lastSent(h, 3))[0]!;
    expect(nak.type).toBe(5);
    expect(optionValueU32(nak)).not.toBe(optionValueU32(ours));
    expect(h.lcp.loopbackSuspicions).toBe(1);
  });

  it('naks a zero magic', () => {
    const h = makeLcp();
    receiveRequest(h, 4, [optionU32(5, 0)]);
    expect(optionValueU32(optionsOf(lastSent(h, 3))[0]!)).not.toBe(0);
  });

  it('picks a new magic on a Nak, and fails as looped back after repeats', () => {
    const h = makeLcp();
    const seen = new Set<number>();
    for (let i = 0; i < 5 && h.failures.length === 0; i++) {
      const magic = optionValueU32(optionsOf(lastSent(h, 1))[2]!)!;
      seen.add(magic);
      replyOurs(h, 3, [optionU32(5, magic)]);
    }
    expect(seen.size).toBe(5);
    expect(h.failures).toEqual([expect.objectContaining({ reason: 'negotiation-failed', message: expect.stringMatching(/looped back/) })]);
  });
});

describe('LCP: extra codes in Opened', () => {
  it('answers an Echo-Request with our magic and the request data', () => {
    const h = makeLcp();
    openLcp(h);
    receive(h, 9, 0x44, fromHex('1a2b3c4d cafe'));
    const reply = lastSent(h, 10)!;
    expect(reply.identifier).toBe(0x44);
    expect(toHex(reply.data)).toBe(h.lcp.ourMagic.toString(16).padStart(8, '0') + 'cafe');
  });

  it('does not answer an Echo-Request before Opened', () => {
    const h = makeLcp();
    receive(h, 9, 0x44, fromHex('1a2b3c4d'));
    expect(lastSent(h, 10)).toBeUndefined();
  });

  it('ignores Discard-Request, Identification and Time-Remaining without Code-Reject', () => {
    const h = makeLcp();
    openLcp(h);
    const before = h.sent.length;
    receive(h, 11, 1, fromHex('1a2b3c4d'));
    receive(h, 12, 2, fromHex('1a2b3c4d 4d53'));
    receive(h, 13, 3, fromHex('1a2b3c4d 00000e10'));
    expect(h.sent.length).toBe(before);
  });

  it('Code-Rejects an unknown code with the packet it received', () => {
    const h = makeLcp();
    openLcp(h);
    receive(h, 0x30, 0x55, fromHex('0102'));
    const cj = lastSent(h, 7)!;
    expect(toHex(cj.data)).toBe('305500060102');
    expect(h.lcp.fsm.state).toBe('opened');
  });

  it('hands a Protocol-Reject of an NCP to the link and stays Opened (RXJ+)', () => {
    const h = makeLcp();
    openLcp(h);
    receive(h, 8, 1, fromHex('80fd 0101 0004'));
    expect(h.protocolRejects).toEqual([0x80fd]);
    expect(h.lcp.fsm.state).toBe('opened');
  });

  it('treats a Protocol-Reject of LCP itself as catastrophic (RXJ-)', () => {
    const h = makeLcp();
    openLcp(h);
    receive(h, 8, 1, fromHex('c021 0101 0004'));
    expect(h.lcp.fsm.state).toBe('stopping');
    expect(lastSent(h, 5)).toBeDefined();
  });

  it('discards a Protocol-Reject before Opened (RFC 1661 §5.7)', () => {
    const h = makeLcp();
    receive(h, 8, 1, fromHex('80fd 01'));
    expect(h.protocolRejects).toEqual([]);
    expect(h.lcp.ignoredPackets).toBe(1);
  });

  it('sends Protocol-Reject only in Opened, truncated to the peer MRU', () => {
    const h = makeLcp();
    expect(h.lcp.sendProtocolReject(0x8057, new Uint8Array(10))).toBe(false);
    receiveRequest(h, 1, [optionU16(1, 200)]);
    ackOurs(h);
    expect(h.lcp.sendProtocolReject(0x8057, new Uint8Array(1000).fill(1))).toBe(true);
    const pr = lastSent(h, 8)!;
    expect(toHex(pr.data.subarray(0, 2))).toBe('8057');
    expect(4 + pr.data.length).toBeLessThanOrEqual(200);
  });

  it('reports a Terminate-Request with its text and acks it', () => {
    const h = makeLcp();
    openLcp(h);
    receive(h, 5, 0x61, new TextEncoder().encode('Authentication failed'));
    expect(h.terminates).toEqual(['Authentication failed']);
    expect(lastSent(h, 6)!.identifier).toBe(0x61);
    expect(h.downs).toBe(1);
  });
});

describe('LCP: Echo keepalive on a virtual clock', () => {
  const fixed = { mode: 'fixed', intervalMs: 10_000, failures: 3 } as const;

  function run(h: ReturnType<typeof makeLcp>, until: number, onTick?: (now: number) => void): number | undefined {
    for (let guard = 0; guard < 100; guard++) {
      const t = h.lcp.nextTimeout();
      if (t === undefined || t > until) return undefined;
      h.lcp.handleTimeout(t);
      onTick?.(t);
      if (h.failures.length) return t;
    }
    return undefined;
  }

  it('fixed: three unanswered Echo-Requests, then keepalive-timeout at the fourth tick', () => {
    const h = makeLcp({ echo: fixed });
    openLcp(h, 0);
    const failedAt = run(h, 100_000);
    expect(h.sent.filter((p) => p.code === 9)).toHaveLength(3);
    expect(failedAt).toBe(40_000);
    expect(h.failures[0]).toMatchObject({ reason: 'keepalive-timeout' });
    const echo = lastSent(h, 9)!;
    expect(toHex(echo.data)).toBe(h.lcp.ourMagic.toString(16).padStart(8, '0'));
  });

  it('fixed: an Echo-Reply clears the count', () => {
    const h = makeLcp({ echo: fixed });
    openLcp(h, 0);
    const failedAt = run(h, 100_000, (now) => {
      if (now === 20_000) receive(h, 10, lastSent(h, 9)!.identifier, fromHex('1a2b3c4d'), now);
    });
    expect(failedAt).toBe(60_000);
  });

  it('fixed: our own magic echoed back is not an answer', () => {
    const h = makeLcp({ echo: fixed });
    openLcp(h, 0);
    const failedAt = run(h, 100_000, (now) => {
      if (now === 20_000) receive(h, 10, 1, lastSent(h, 9)!.data, now);
    });
    expect(failedAt).toBe(40_000);
  });

  it('adaptive: no Echo-Request while frames keep arriving', () => {
    const h = makeLcp({ echo: { mode: 'adaptive', intervalMs: 10_000, failures: 3 } });
    openLcp(h, 0);
    for (let t = 0; t <= 60_000; t += 5_000) {
      h.lcp.keepalive.noteReceived(t);
      while ((h.lcp.nextTimeout() ?? Infinity) <= t) h.lcp.handleTimeout(h.lcp.nextTimeout()!);
    }
    expect(h.sent.filter((p) => p.code === 9)).toHaveLength(0);
    const failedAt = run(h, 200_000);
    expect(h.sent.filter((p) => p.code === 9)).toHaveLength(3);
    expect(failedAt).toBe(100_000); // 40 s after the last frame
  });

  it('off: no timer at all once Opened', () => {
    const h = makeLcp({ echo: { mode: 'off' } });
    openLcp(h, 0);
    expect(h.lcp.nextTimeout()).toBeUndefined();
  });

  it('stops echoing when the peer Code-Rejects Echo-Request', () => {
    const h = makeLcp({ echo: fixed });
    openLcp(h, 0);
    h.lcp.handleTimeout(10_000);
    receive(h, 7, 1, fromHex('0901 0008 00000000'), 10_001);
    expect(h.lcp.nextTimeout()).toBeUndefined();
    expect(h.lcp.fsm.state).toBe('opened');
  });
});
