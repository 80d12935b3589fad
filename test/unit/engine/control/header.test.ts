import { describe, expect, it } from 'vitest';
import { parseControlHeader } from '../../../../main/engine/control/header';
import { encodeControlMessage } from '../../../../main/engine/control/encode';
import { writeU16, writeU32 } from '../../../../main/engine/wire/bytes';
import { SAMPLES } from './samples';

function echoRequestBytes(): Uint8Array {
  return encodeControlMessage(SAMPLES.EchoRequest).slice();
}

describe('parseControlHeader', () => {
  it('accepts a well-formed header and names the message', () => {
    const h = parseControlHeader(echoRequestBytes());
    expect(h).toEqual({ ok: true, value: { length: 16, controlMessageType: 5, kind: 'EchoRequest' } });
  });

  it('reads at an offset', () => {
    const b = new Uint8Array(3 + 16);
    b.set(echoRequestBytes(), 3);
    const h = parseControlHeader(b, 3);
    expect(h.ok && h.value.kind).toBe('EchoRequest');
  });

  it('refuses fewer than 12 octets as truncated', () => {
    const h = parseControlHeader(echoRequestBytes().subarray(0, 11));
    expect(!h.ok && h.error.code).toBe('truncated');
  });

  it('refuses a wrong magic cookie', () => {
    const b = echoRequestBytes();
    writeU32(b, 4, 0x1a2b3c4e);
    const h = parseControlHeader(b);
    expect(!h.ok && h.error.code).toBe('bad-magic');
  });

  it('refuses a length field shorter than the header', () => {
    const b = echoRequestBytes();
    writeU16(b, 0, 11);
    const h = parseControlHeader(b);
    expect(!h.ok && h.error.code).toBe('bad-length');
  });

  it('refuses a management message (PPTP message type 2)', () => {
    const b = echoRequestBytes();
    writeU16(b, 2, 2);
    const h = parseControlHeader(b);
    expect(!h.ok && h.error.code).toBe('unknown-type');
  });

  it('refuses control message types 0 and 16', () => {
    for (const t of [0, 16, 0xffff]) {
      const b = echoRequestBytes();
      writeU16(b, 8, t);
      const h = parseControlHeader(b);
      expect(!h.ok && h.error.code, String(t)).toBe('unknown-type');
    }
  });

  it('refuses a length that is not the RFC length for the type', () => {
    for (const len of [15, 17, 20, 156]) {
      const b = echoRequestBytes();
      writeU16(b, 0, len);
      const h = parseControlHeader(b);
      expect(!h.ok && h.error.code, String(len)).toBe('bad-length');
    }
  });

  it('ignores a non-zero Reserved0 (liberal in what it accepts)', () => {
    const b = echoRequestBytes();
    writeU16(b, 10, 0xffff);
    expect(parseControlHeader(b).ok).toBe(true);
  });
});
