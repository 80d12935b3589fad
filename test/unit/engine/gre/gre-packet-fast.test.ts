import { describe, expect, it } from 'vitest';
import {
  checkGreHeader,
  encodeGrePacket,
  readGreU32,
  wellFormedGreHeaderLength,
  writeGreAckOnly,
  writeGreDataHeader,
} from '../../../../main/engine/gre/gre-packet';

/** The allocation-free helpers of the data path must agree with the two-step codec exactly. */
describe('gre-packet fast helpers', () => {
  let seed = 7;
  const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;

  it('wellFormedGreHeaderLength_agreesWithCheckGreHeader_onValidAndMutatedPackets', () => {
    for (let n = 0; n < 3000; n++) {
      const payload = Uint8Array.from({ length: next() % 40 }, next);
      const sequence = (next() << 24) | (next() << 16) | next();
      const withAck = (next() & 1) === 1;
      const packet = encodeGrePacket({
        callId: (next() << 8) | next(),
        ...(payload.length > 0 || (next() & 1) === 1 ? { sequence: sequence >>> 0 } : {}),
        ...(withAck ? { ack: (sequence ^ 0x5555) >>> 0 } : {}),
        payload,
      });
      // Mutate one octet of the header (or none), or cut / extend the packet.
      const mode = next() % 4;
      let bytes = packet;
      if (mode === 1) bytes[next() % Math.min(16, bytes.length)] = next();
      if (mode === 2) bytes = bytes.subarray(0, next() % (bytes.length + 1));
      if (mode === 3) bytes = Uint8Array.from([...bytes, next()]);
      const checked = checkGreHeader(bytes);
      const fast = wellFormedGreHeaderLength(bytes);
      expect(fast, `packet ${n}`).toBe(checked.ok ? checked.value.headerLength : -1);
    }
  });

  it('writeGreAckOnly_matchesEncodeGrePacket_atAnyOffset', () => {
    for (const [callId, ack] of [[0, 0], [0xffff, 0xffffffff], [0x0140, 12345]] as const) {
      const buf = new Uint8Array(40).fill(0xee);
      writeGreAckOnly(buf, 28, callId, ack);
      expect(buf.subarray(28)).toEqual(encodeGrePacket({ callId, ack, payload: new Uint8Array(0) }));
      expect(buf.subarray(0, 28).every((b) => b === 0xee)).toBe(true);
    }
    expect(() => writeGreAckOnly(new Uint8Array(12), 1, 1, 1)).toThrow(RangeError);
    expect(() => writeGreAckOnly(new Uint8Array(12), 0, 0x10000, 1)).toThrow(RangeError);
  });

  it('writeGreDataHeader_matchesEncodeGrePacket_inPlace', () => {
    for (const ack of [undefined, 0, 0xffffffff, 12345]) {
      const payload = Uint8Array.from({ length: 30 }, next);
      const buf = new Uint8Array(16 + payload.length);
      buf.set(payload, 16);
      const start = writeGreDataHeader(buf, 16, payload.length, 0xbeef, 0xfffffffe, ack);
      const expected = encodeGrePacket({ callId: 0xbeef, sequence: 0xfffffffe, ...(ack !== undefined ? { ack } : {}), payload });
      expect(Array.from(buf.subarray(start))).toEqual(Array.from(expected));
      expect(readGreU32(buf, start + 8)).toBe(0xfffffffe);
    }
  });
});
