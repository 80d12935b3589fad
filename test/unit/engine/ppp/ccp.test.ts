import { describe, expect, it } from 'vitest';
import type { MppePolicy } from '../../../../main/engine/ppp/ccp/mppe-option';
import {
  MPPE_BIT_C,
  MPPE_BIT_D,
  MPPE_BIT_H,
  MPPE_BIT_L,
  MPPE_BIT_M,
  MPPE_BIT_S,
  allowedLengths,
  chooseMppe,
  describeMppeBits,
} from '../../../../main/engine/ppp/ccp/mppe-option';
import { optionU32, optionValueU32 } from '../../../../main/engine/ppp/packet';
import { lastSent, makeCcp, optionsOf, receive, receiveRequest, replyOurs } from './ncp-fixtures';

const REQ128: MppePolicy = { mppe: 'require-128', allowStateful: false };
const REQ: MppePolicy = { mppe: 'require-any', allowStateful: false };
const OPT: MppePolicy = { mppe: 'optional', allowStateful: false };
const mppe = (bits: number) => optionU32(18, bits);

describe('MPPE option bits and policy (RFC 3078 §2)', () => {
  it('has the RFC bit positions', () => {
    expect([MPPE_BIT_H, MPPE_BIT_M, MPPE_BIT_S, MPPE_BIT_L, MPPE_BIT_D, MPPE_BIT_C]).toEqual([
      0x01000000, 0x80, 0x40, 0x20, 0x10, 0x01,
    ]);
    expect(describeMppeBits(MPPE_BIT_S | MPPE_BIT_L | MPPE_BIT_H | MPPE_BIT_C)).toBe('128-bit, 40-bit, stateless, MPPC compression');
  });

  it('derives the allowed key lengths', () => {
    expect(allowedLengths(REQ128)).toEqual([128]);
    expect(allowedLengths(REQ)).toEqual([128, 56, 40]);
    expect(allowedLengths({ ...OPT, allowedBits: [40, 128] })).toEqual([128, 40]);
    expect(allowedLengths({ mppe: 'none', allowStateful: false })).toEqual([]);
  });

  it.each([
    ['128 stateless, required-128', MPPE_BIT_S | MPPE_BIT_H, REQ128, { kind: 'exact', params: { bits: 128, stateful: false } }],
    ['all lengths, required', MPPE_BIT_S | MPPE_BIT_M | MPPE_BIT_L | MPPE_BIT_H, REQ, { kind: 'narrow', params: { bits: 128, stateful: false } }],
    ['40 only, required 40', MPPE_BIT_L | MPPE_BIT_H, { ...REQ, allowedBits: [40] }, { kind: 'exact', params: { bits: 40, stateful: false } }],
    ['56 and 40, required', MPPE_BIT_M | MPPE_BIT_L | MPPE_BIT_H, REQ, { kind: 'narrow', params: { bits: 56, stateful: false } }],
    [
      '128 stateful, stateful not allowed (the narrowing refuses stateful)',
      MPPE_BIT_S,
      REQ128,
      { kind: 'narrow', params: { bits: 128, stateful: false }, refused: { kind: 'mppe-stateful', bits: [128] } },
    ],
    ['128 stateful, stateful allowed', MPPE_BIT_S, { ...REQ128, allowStateful: true }, { kind: 'exact', params: { bits: 128, stateful: true } }],
    ['128 with MPPC', MPPE_BIT_S | MPPE_BIT_H | MPPE_BIT_C, REQ128, { kind: 'narrow', params: { bits: 128, stateful: false } }],
    ['128 with the obsolete D bit', MPPE_BIT_S | MPPE_BIT_H | MPPE_BIT_D, REQ128, { kind: 'narrow', params: { bits: 128, stateful: false } }],
  ] as const)('%s', (_name, bits, policy, expected) => {
    expect(chooseMppe(bits, policy)).toEqual(expected);
  });

  it.each([
    ['40 only vs required-128', MPPE_BIT_L | MPPE_BIT_H, REQ128, /40-bit.*requires 128-bit/],
    ['MPPC only', MPPE_BIT_C, REQ, /no key length, MPPC compression/],
    ['anything vs none', MPPE_BIT_S | MPPE_BIT_H, { mppe: 'none', allowStateful: false } as MppePolicy, /requires none/],
    ['malformed', undefined, REQ, /malformed/],
  ])('refuses %s', (_name, bits, policy, message) => {
    const c = chooseMppe(bits, policy);
    expect(c.kind).toBe('unacceptable');
    expect(c.kind === 'unacceptable' && c.message).toMatch(message);
  });

  it('steers towards what the other direction already agreed', () => {
    expect(chooseMppe(MPPE_BIT_S | MPPE_BIT_L | MPPE_BIT_H, REQ, { bits: 40, stateful: false })).toEqual({
      kind: 'narrow',
      params: { bits: 40, stateful: false },
    });
  });
});

describe('CCP: our request', () => {
  it('reqSent: asks stateless with every allowed length, so the server can Nak down to one', () => {
    expect(optionValueU32(optionsOf(makeCcp(REQ128).sent[0])[0]!)).toBe(MPPE_BIT_S | MPPE_BIT_H);
    expect(optionValueU32(optionsOf(makeCcp(REQ).sent[0])[0]!)).toBe(MPPE_BIT_S | MPPE_BIT_M | MPPE_BIT_L | MPPE_BIT_H);
    expect(optionValueU32(optionsOf(makeCcp({ ...REQ, allowedBits: [40, 56] }).sent[0])[0]!)).toBe(MPPE_BIT_M | MPPE_BIT_L | MPPE_BIT_H);
  });

  it('reqSent_receivesNak: a 40-bit-only server narrows the all-lengths request to 40-bit (pppd require-mppe-40)', () => {
    const h = makeCcp(REQ);
    replyOurs(h, 3, [optionU32(18, MPPE_BIT_L | MPPE_BIT_H)]);
    expect(h.failures).toEqual([]);
    expect(optionValueU32(optionsOf(lastSent(h, 1)!)[0]!)).toBe(MPPE_BIT_L | MPPE_BIT_H);
  });

  it('reqSent_receivesReject: required -> encryption-refused', () => {
    const h = makeCcp(REQ128);
    replyOurs(h, 4);
    expect(h.failures).toEqual([expect.objectContaining({ reason: 'encryption-refused' })]);
  });

  it('reqSent_receivesReject: optional -> an empty request and no encryption', () => {
    const h = makeCcp(OPT);
    replyOurs(h, 4);
    expect(h.failures).toEqual([]);
    expect(optionsOf(lastSent(h, 1))).toEqual([]);
    replyOurs(h, 2);
    receiveRequest(h, 5, []);
    expect(h.ups).toEqual([null]);
  });

  it('reqSent_receivesNakWeakerThanAllowed: required-128 -> encryption-refused', () => {
    const h = makeCcp(REQ128);
    replyOurs(h, 3, [mppe(MPPE_BIT_L | MPPE_BIT_H)]);
    expect(h.failures[0]).toMatchObject({ reason: 'encryption-refused', message: expect.stringMatching(/40-bit/) });
  });

  it('reqSent_receivesNakStateful: adopts stateful when allowed', () => {
    const h = makeCcp({ ...REQ128, allowStateful: true });
    replyOurs(h, 3, [mppe(MPPE_BIT_S)]);
    expect(optionValueU32(optionsOf(lastSent(h, 1))[0]!)).toBe(MPPE_BIT_S);
  });

  it('reqSent_endlessNakStateful: stateful not allowed -> encryption-refused after Max-Failure', () => {
    const h = makeCcp(REQ128);
    for (let i = 0; i < 6 && h.failures.length === 0; i++) replyOurs(h, 3, [mppe(MPPE_BIT_S)]);
    // The server kept Nak-ing towards stateful MPPE: that is the cause, named with how to allow it.
    expect(h.failures[0]).toMatchObject({
      reason: 'encryption-refused',
      message: expect.stringMatching(/offers only stateful MPPE \(128-bit, without the stateless bit\).*stateless MPPE only/),
      detail: { layer: 'CCP', refusal: 'mppe-stateful', serverOffer: '128-bit stateful', allowed: 'stateless' },
    });
  });

  it('reqSent_statefulOfferThenReject: the server rejects MPPE after we refused its stateful offer -> the stateful refusal', () => {
    const h = makeCcp(REQ128);
    replyOurs(h, 3, [mppe(MPPE_BIT_S)]); // Nak towards stateful
    replyOurs(h, 4, [mppe(MPPE_BIT_S | MPPE_BIT_H)]); // then Configure-Reject of the MPPE option
    expect(h.failures[0]).toMatchObject({ reason: 'encryption-refused', detail: { refusal: 'mppe-stateful' } });
  });

  it('reqSent_statefulOfferThenAccepted: no failure, the refusal is moot once CCP opens', () => {
    const h = makeCcp(REQ128);
    replyOurs(h, 3, [mppe(MPPE_BIT_S)]); // Nak towards stateful
    replyOurs(h, 2); // Ack of our stateless choice
    receiveRequest(h, 7, [mppe(MPPE_BIT_S | MPPE_BIT_H)]);
    expect(h.failures).toEqual([]);
    expect(h.ups).toEqual([{ bits: 128, stateful: false }]);
  });
});

describe('CCP: the server offer', () => {
  it('acks pptpd offer (128-bit stateless) and opens with it', () => {
    const h = makeCcp(REQ128);
    receiveRequest(h, 1, [mppe(MPPE_BIT_S | MPPE_BIT_H)]);
    expect(lastSent(h, 2)!.identifier).toBe(1);
    replyOurs(h, 2);
    expect(h.ups).toEqual([{ bits: 128, stateful: false }]);
  });

  it('naks a multi-length offer down to exactly one length and mode', () => {
    const h = makeCcp(REQ);
    receiveRequest(h, 1, [mppe(MPPE_BIT_S | MPPE_BIT_M | MPPE_BIT_L | MPPE_BIT_H | MPPE_BIT_C)]);
    expect(optionValueU32(optionsOf(lastSent(h, 3))[0]!)).toBe(MPPE_BIT_S | MPPE_BIT_H);
  });

  it('required-128 vs a server offering 40 only -> encryption-refused', () => {
    const h = makeCcp(REQ128);
    receiveRequest(h, 1, [mppe(MPPE_BIT_L | MPPE_BIT_H)]);
    expect(h.failures[0]).toMatchObject({ reason: 'encryption-refused' });
    expect(h.failures[0]!.message).toMatch(/offers MPPE with 40-bit keys only; this profile requires 128-bit encryption/);
    expect(h.failures[0]!.detail).toEqual({ layer: 'CCP', refusal: 'mppe-key-length', serverOffer: '40-bit', offeredBits: '40', allowed: '128-bit' });
  });

  it('optional vs an unacceptable offer -> rejects the option, no failure', () => {
    const h = makeCcp({ ...OPT, allowedBits: [128] });
    receiveRequest(h, 1, [mppe(MPPE_BIT_L | MPPE_BIT_H)]);
    expect(h.failures).toEqual([]);
    expect(optionsOf(lastSent(h, 4)).map((o) => o.type)).toEqual([18]);
  });

  it('stateful offer: acked when allowed, Nak-ed to stateless when not', () => {
    const yes = makeCcp({ ...REQ128, allowStateful: true });
    receiveRequest(yes, 1, [mppe(MPPE_BIT_S)]);
    expect(lastSent(yes, 2)).toBeDefined();
    const no = makeCcp(REQ128);
    receiveRequest(no, 1, [mppe(MPPE_BIT_S)]);
    expect(optionValueU32(optionsOf(lastSent(no, 3))[0]!)).toBe(MPPE_BIT_S | MPPE_BIT_H);
  });

  it('rejects every compression method: Predictor, Stac, BSD-Compress, Deflate', () => {
    const h = makeCcp(REQ128);
    const others = [1, 2, 17, 21, 24, 26].map((type) => ({ type, data: Uint8Array.of(0x78, 0x00) }));
    receiveRequest(h, 1, [...others, mppe(MPPE_BIT_S | MPPE_BIT_H)]);
    expect(optionsOf(lastSent(h, 4)).map((o) => o.type)).toEqual([1, 2, 17, 21, 24, 26]);
    expect(h.failures).toEqual([]);
  });

  it('fails when MPPE is agreed differently in each direction', () => {
    const h = makeCcp({ ...OPT, allowedBits: [56, 128] });
    receiveRequest(h, 1, [mppe(MPPE_BIT_M | MPPE_BIT_H)]);
    replyOurs(h, 2);
    expect(h.ups).toEqual([]);
    expect(h.failures[0]!.message).toMatch(/not agreed in both directions/);
  });
});

describe('CCP: Reset-Request / Reset-Ack (RFC 1962 §2.2)', () => {
  function opened() {
    const h = makeCcp({ ...REQ128, allowStateful: true });
    receiveRequest(h, 1, [mppe(MPPE_BIT_S)]);
    replyOurs(h, 3, [mppe(MPPE_BIT_S)]);
    replyOurs(h, 2);
    expect(h.ups).toEqual([{ bits: 128, stateful: true }]);
    return h;
  }

  it('hands a Reset-Request to the link and answers with a Reset-Ack of the same id', () => {
    const h = opened();
    receive(h, 14, 0x33, new Uint8Array(0));
    expect(h.resets).toBe(1);
    expect(lastSent(h, 15)!.identifier).toBe(0x33);
  });

  it('hands a Reset-Ack to the link', () => {
    const h = opened();
    receive(h, 15, 0x34, new Uint8Array(0));
    expect(h.resetAcks).toBe(1);
  });

  it('sends Reset-Request only when Opened, and ignores resets before', () => {
    const h = makeCcp(REQ128);
    expect(h.layer.sendResetRequest()).toBe(false);
    receive(h, 14, 1, new Uint8Array(0));
    expect(h.resets).toBe(0);
    expect(lastSent(h, 15)).toBeUndefined();
    const o = opened();
    expect(o.layer.sendResetRequest()).toBe(true);
    expect(lastSent(o, 14)).toBeDefined();
  });

  it('Code-Rejects other unknown codes', () => {
    const h = opened();
    receive(h, 9, 1, new Uint8Array(4));
    expect(lastSent(h, 7)).toBeDefined();
  });
});
