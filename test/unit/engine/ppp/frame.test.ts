import { describe, expect, it } from 'vitest';
import { decodeFrame, decodeProtocolAndInfo, encodeFrame } from '../../../../main/engine/ppp/frame';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

const FULL = { pfc: false, acfc: false };
const BOTH = { pfc: true, acfc: true };

describe('PPP frames in GRE (RFC 1661 §6.5/§6.6, RFC 2637 §4.3)', () => {
  it('encodes address/control and a 2-octet protocol without compression', () => {
    expect(toHex(encodeFrame(0x0021, fromHex('4500'), FULL))).toBe('ff0300214500');
  });

  it('compresses address/control and protocol as the peer allowed', () => {
    expect(toHex(encodeFrame(0x0021, fromHex('4500'), BOTH))).toBe('214500');
    expect(toHex(encodeFrame(0x0021, fromHex('4500'), { pfc: true, acfc: false }))).toBe('ff03214500');
    expect(toHex(encodeFrame(0x00fd, fromHex('90'), { pfc: false, acfc: true }))).toBe('00fd90');
  });

  it('never compresses LCP, and never a protocol above 0xff', () => {
    expect(toHex(encodeFrame(0xc021, fromHex('01'), BOTH))).toBe('ff03c02101');
    expect(toHex(encodeFrame(0x8021, fromHex('01'), BOTH))).toBe('802101');
  });

  it('decodes every combination of compressed fields', () => {
    for (const hex of ['ff0300214500', 'ff03214500', '00214500', '214500']) {
      const f = decodeFrame(fromHex(hex));
      expect(f.ok && f.value.protocol).toBe(0x0021);
      expect(f.ok && toHex(f.value.info)).toBe('4500');
    }
    const lcp = decodeFrame(fromHex('c0210101'));
    expect(lcp.ok && lcp.value.protocol).toBe(0xc021);
  });

  it('refuses frames without a valid protocol field', () => {
    for (const [hex, code] of [
      ['', 'truncated'],
      ['ff03', 'truncated'],
      ['ff0300', 'truncated'],
      ['0022aa', 'bad-field'],
    ] as const) {
      const f = decodeFrame(fromHex(hex));
      expect(f.ok).toBe(false);
      expect(!f.ok && f.error.code).toBe(code);
    }
  });

  it('splits what MPPE decrypts to (protocol + information)', () => {
    const a = decodeProtocolAndInfo(fromHex('0021 45'));
    const b = decodeProtocolAndInfo(fromHex('21 45'));
    expect(a.ok && a.value.protocol).toBe(0x21);
    expect(b.ok && toHex(b.value.info)).toBe('45');
    expect(decodeProtocolAndInfo(new Uint8Array(0)).ok).toBe(false);
  });
});
