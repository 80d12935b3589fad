import { describe, expect, it } from 'vitest';
import {
  checkGreHeader,
  decodeGrePacket,
  encodeGrePacket,
  greEncodedLength,
  parseGrePacket,
} from '../../../../main/engine/gre/gre-packet';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

function decodeOk(hex: string) {
  const r = decodeGrePacket(fromHex(hex));
  if (!r.ok) throw new Error(`expected ok, got ${r.error.reason}: ${r.error.message}`);
  return r.value;
}

function decodeErr(bytes: Uint8Array) {
  const r = decodeGrePacket(bytes);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('encodeGrePacket', () => {
  it('dataWithAck_layoutMatchesRfc2637Section4_1', () => {
    const bytes = encodeGrePacket({ callId: 0x0080, sequence: 5, ack: 3, payload: fromHex('ff03c021') });
    // K|S = 0x30, A|ver1 = 0x81, 880b, length 4, call 0x0080, seq 5, ack 3, payload
    expect(toHex(bytes)).toBe('3081880b00040080' + '00000005' + '00000003' + 'ff03c021');
    expect(bytes.length).toBe(greEncodedLength({ callId: 0x80, sequence: 5, ack: 3, payload: fromHex('ff03c021') }));
  });

  it('ackOnly_hasNoSequenceAndZeroLength', () => {
    const bytes = encodeGrePacket({ callId: 7, ack: 0xffffffff, payload: new Uint8Array(0) });
    expect(toHex(bytes)).toBe('2081880b00000007ffffffff');
  });

  it('dataWithoutAck_hasNoAckField', () => {
    const bytes = encodeGrePacket({ callId: 1, sequence: 0, payload: fromHex('aa') });
    expect(toHex(bytes)).toBe('3001880b0001000100000000aa');
  });

  it('localBugs_throwRangeError', () => {
    expect(() => encodeGrePacket({ callId: 1, payload: fromHex('aa') })).toThrow(RangeError);
    expect(() => encodeGrePacket({ callId: 1, sequence: 0, payload: new Uint8Array(0x10000) })).toThrow(RangeError);
    expect(() => encodeGrePacket({ callId: 0x10000, sequence: 0, payload: fromHex('aa') })).toThrow(RangeError);
    expect(() => encodeGrePacket({ callId: 1, sequence: -1, payload: fromHex('aa') })).toThrow(RangeError);
    expect(() => encodeGrePacket({ callId: 1, ack: 2 ** 32, payload: new Uint8Array(0) })).toThrow(RangeError);
  });
});

describe('decodeGrePacket', () => {
  it('roundTrips_everyFlagCombination', () => {
    const cases = [
      { callId: 0, sequence: 0, payload: fromHex('c0210102') },
      { callId: 0xffff, sequence: 0xffffffff, ack: 0x12345678, payload: new Uint8Array(1500).fill(0x5a) },
      { callId: 128, ack: 42, payload: new Uint8Array(0) },
      { callId: 9, sequence: 77, payload: new Uint8Array(0) },
    ];
    for (const c of cases) {
      const d = decodeGrePacket(encodeGrePacket(c));
      expect(d.ok).toBe(true);
      if (!d.ok) continue;
      expect(d.value.callId).toBe(c.callId);
      expect(d.value.sequence).toBe(c.sequence);
      expect(d.value.ack).toBe(c.ack);
      expect(toHex(d.value.payload)).toBe(toHex(c.payload));
    }
  });

  it('payloadIsAViewOfTheInput', () => {
    const bytes = encodeGrePacket({ callId: 1, sequence: 1, payload: fromHex('0102') });
    const p = decodeOk(toHex(bytes));
    expect(p.payload.length).toBe(2);
    const input = fromHex(toHex(bytes));
    const r = decodeGrePacket(input);
    if (!r.ok) throw new Error('decode');
    input[input.length - 1] = 0x99;
    expect(r.value.payload[1]).toBe(0x99);
  });

  it('twoSteps_checkedViewThenTypedPacket', () => {
    const bytes = fromHex('3081880b00020005' + '0000000a' + '00000009' + 'beef');
    const view = checkGreHeader(bytes);
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect(view.value).toMatchObject({ hasSequence: true, hasAck: true, headerLength: 16, payloadLength: 2, callId: 5 });
    expect(parseGrePacket(view.value)).toMatchObject({ callId: 5, sequence: 10, ack: 9 });
  });

  it('reservedFlagBits_areIgnored', () => {
    // Flags bits 9-12 (0x78 of the second octet) set: liberal on receive, like pptp-linux.
    const p = decodeOk('3079880b0001000100000001aa');
    expect(p.sequence).toBe(1);
    expect(p.ack).toBeUndefined();
  });

  const malformed: [string, string, string, string][] = [
    ['version0', '3000880b0001000100000001aa', 'bad-version', 'bad-version'],
    ['version2', '3002880b0001000100000001aa', 'bad-version', 'bad-version'],
    ['protocolIpv4', '300108000001000100000001aa', 'bad-protocol', 'unknown-type'],
    ['keyAbsent', '1001880b0001000100000001aa', 'key-absent', 'bad-field'],
    ['checksumBit', 'b001880b0001000100000001aa', 'checksum-present', 'bad-field'],
    ['routingBit', '7001880b0001000100000001aa', 'routing-present', 'bad-field'],
    ['strictRouteBit', '3801880b0001000100000001aa', 'strict-route', 'bad-field'],
    ['recursion', '3101880b0001000100000001aa', 'recursion', 'bad-field'],
    ['payloadLengthLongerThanBytes', '3001880b0002000100000001aa', 'truncated', 'truncated'],
    ['payloadLengthShorterThanBytes', '3001880b0001000100000001aabb', 'length-mismatch', 'bad-length'],
    ['sequenceFieldCut', '3001880b00000001000000', 'truncated', 'truncated'],
    ['ackFieldCut', '3081880b000000010000000100', 'truncated', 'truncated'],
    ['baseHeaderCut', '3001880b000000', 'truncated', 'truncated'],
    ['payloadWithoutSequence', '2081880b0001000100000001aa', 'payload-without-sequence', 'bad-field'],
  ];
  for (const [name, hex, reason, code] of malformed) {
    it(`malformed_${name}_isTypedError`, () => {
      const e = decodeErr(fromHex(hex));
      expect(e.reason).toBe(reason);
      expect(e.code).toBe(code);
      expect(e.message.length).toBeGreaterThan(0);
    });
  }

  it('empty_andEveryPrefixOfAValidPacket_neverThrow', () => {
    const good = encodeGrePacket({ callId: 3, sequence: 9, ack: 8, payload: fromHex('01020304') });
    expect(decodeErr(new Uint8Array(0)).reason).toBe('truncated');
    for (let n = 0; n < good.length; n++) expect(decodeGrePacket(good.subarray(0, n)).ok).toBe(false);
    expect(decodeGrePacket(good).ok).toBe(true);
  });

  it('randomBytes_neverThrow', () => {
    let s = 12345;
    for (let i = 0; i < 2000; i++) {
      const len = i % 40;
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) {
        s = (s * 1103515245 + 12345) >>> 0;
        b[j] = s >>> 24;
      }
      if (len > 3 && i % 2 === 0) {
        b[1] = (b[1]! & 0xf8) | 1;
        b[2] = 0x88;
        b[3] = 0x0b;
      }
      expect(() => decodeGrePacket(b)).not.toThrow();
    }
  });
});
