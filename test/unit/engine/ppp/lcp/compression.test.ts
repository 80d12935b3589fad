import { describe, expect, it } from 'vitest';
import { acfcHandler, pfcHandler } from '../../../../../main/engine/ppp/lcp/compression';
import { optionEmpty } from '../../../../../main/engine/ppp/packet';
import { blankRequest, optionContext, peerDefaults } from './option-context';

describe.each([
  ['Protocol-Field-Compression (RFC 1661 §6.5)', pfcHandler, 7, 'pfc'],
  ['Address-and-Control-Field-Compression (RFC 1661 §6.6)', acfcHandler, 8, 'acfc'],
] as const)('LCP %s handler', (_name, handler, type, field) => {
  it(`is option type ${type} and is in our request, empty`, () => {
    expect(handler.type).toBe(type);
    const r = blankRequest();
    handler.want(r, optionContext());
    expect(r[field]).toBe(true);
    expect(handler.encode(r)).toEqual(optionEmpty(type));
  });

  it('acks the empty option and records that we compress what we send', () => {
    const agreed = peerDefaults();
    expect(handler.checkRequest(optionEmpty(type), optionContext(), agreed)).toEqual({ kind: 'ack' });
    expect(agreed[field]).toBe(true);
  });

  it('rejects the option with data', () => {
    const agreed = peerDefaults();
    expect(handler.checkRequest({ type, data: Uint8Array.of(0) }, optionContext(), agreed)).toEqual({ kind: 'reject' });
    expect(agreed[field]).toBe(false);
  });

  it('handles a Nak as a Reject (the option has no value), and a Reject by not asking again', () => {
    const naked = optionContext();
    expect(handler.onNak(optionEmpty(type), naked)).toBe('ok');
    expect(naked.ours[field]).toBe(false);
    expect(handler.encode(naked.ours)).toBeUndefined();
    const rejected = optionContext();
    handler.onReject(rejected);
    expect(rejected.ours[field]).toBe(false);
  });
});
