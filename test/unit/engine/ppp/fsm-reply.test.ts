import { describe, expect, it } from 'vitest';
import type { OptionVerdict } from '../../../../main/engine/ppp/fsm-contract';
import { assembleReply } from '../../../../main/engine/ppp/fsm-reply';
import { encodeOptions, optionEmpty, optionU16, optionU32 } from '../../../../main/engine/ppp/packet';
import { toHex } from '../../../../main/engine/wire/bytes';

const MRU = optionU16(1, 1400);
const MAGIC = optionU32(5, 0x1a2b3c4d);
const PFC = optionEmpty(7);
const OPTIONS = [MRU, MAGIC, PFC];
const REQUEST = { code: 1, identifier: 9, data: encodeOptions(OPTIONS) };
const ACK: OptionVerdict = { kind: 'ack' };
const REJECT: OptionVerdict = { kind: 'reject' };
const nak = (suggest = optionU32(5, 0x01020304)): OptionVerdict => ({ kind: 'nak', suggest });

describe('assembleReply (RFC 1661 §5.2-5.4)', () => {
  it('acks the request exactly as received when every option is acceptable', () => {
    const reply = assembleReply(REQUEST, OPTIONS, { verdicts: [ACK, ACK, ACK] }, false);
    expect(reply).toEqual({ code: 2, identifier: 9, data: REQUEST.data });
  });

  it('rejects only the options that must go, even when others would be Nak\'d', () => {
    const reply = assembleReply(REQUEST, OPTIONS, { verdicts: [ACK, nak(), REJECT] }, false);
    expect(reply.code).toBe(4);
    expect(toHex(reply.data)).toBe(toHex(encodeOptions([PFC])));
  });

  it('treats a missing verdict as reject', () => {
    const reply = assembleReply(REQUEST, OPTIONS, { verdicts: [ACK, ACK] }, false);
    expect(reply.code).toBe(4);
    expect(toHex(reply.data)).toBe(toHex(encodeOptions([PFC])));
  });

  it('naks with the suggested values, then the hints', () => {
    const hint = optionU32(2, 0);
    const reply = assembleReply(REQUEST, OPTIONS, { verdicts: [ACK, nak(), ACK], hints: [hint] }, false);
    expect(reply).toEqual({ code: 3, identifier: 9, data: encodeOptions([optionU32(5, 0x01020304), hint]) });
  });

  it('sends a Nak of hints alone when every option is acceptable', () => {
    const hint = optionU32(2, 0);
    const reply = assembleReply(REQUEST, OPTIONS, { verdicts: [ACK, ACK, ACK], hints: [hint] }, false);
    expect(reply).toEqual({ code: 3, identifier: 9, data: encodeOptions([hint]) });
  });

  it('after Max-Failure (rejectIfDisagree) rejects what it would Nak and drops the hints', () => {
    const withNak = assembleReply(REQUEST, OPTIONS, { verdicts: [ACK, nak(), ACK], hints: [optionU32(2, 0)] }, true);
    expect(withNak).toEqual({ code: 4, identifier: 9, data: encodeOptions([MAGIC]) });
    const hintsOnly = assembleReply(REQUEST, OPTIONS, { verdicts: [ACK, ACK, ACK], hints: [optionU32(2, 0)] }, true);
    expect(hintsOnly.code).toBe(2);
  });
});
