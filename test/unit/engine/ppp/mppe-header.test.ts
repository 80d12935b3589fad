import { describe, expect, it } from 'vitest';
import {
  MPPE_FLAG_ENCRYPTED,
  MPPE_FLAG_FLUSHED,
  coherencyDistance,
  isFlagPacket,
  readCoherencyCount,
  writeMppeHeader,
} from '../../../../main/engine/ppp/mppe-header';
import { toHex } from '../../../../main/engine/wire/bytes';

describe('MPPE header (RFC 3078 §3)', () => {
  it('writesFlagsInTheHighNibbleAndThe12BitCount', () => {
    const out = new Uint8Array(3);
    writeMppeHeader(out, 1, MPPE_FLAG_FLUSHED | MPPE_FLAG_ENCRYPTED, 0xabc);
    expect(toHex(out)).toBe('009abc');
    expect(readCoherencyCount(out.subarray(1))).toBe(0xabc);
  });
  it('countAbove12BitsIsMaskedNotSpilledIntoTheFlags', () => {
    const out = new Uint8Array(2);
    writeMppeHeader(out, 0, MPPE_FLAG_ENCRYPTED, 0x1fff);
    expect(toHex(out)).toBe('1fff');
  });
  it('coherencyDistance_isForwardOnThe4096Circle', () => {
    expect(coherencyDistance(4095, 0)).toBe(1);
    expect(coherencyDistance(10, 10)).toBe(0);
    expect(coherencyDistance(10, 9)).toBe(4095);
    expect(coherencyDistance(4000, 100)).toBe(196);
  });
  it('flagPacketsHaveLowOctet0xFF', () => {
    expect([0xff, 0x1ff, 0xfff].every(isFlagPacket)).toBe(true);
    expect([0, 0xfe, 0x100].some(isFlagPacket)).toBe(false);
  });
});
