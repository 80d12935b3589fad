import { describe, expect, it } from 'vitest';
import { decodeControlMessage } from '../../../../main/engine/control/decode';
import { encodeControlMessage } from '../../../../main/engine/control/encode';
import { CONTROL_MESSAGE_LENGTH, type ControlMessageKind } from '../../../../main/engine/control/constants';
import { concatBytes, fromHex, writeU16, writeU32 } from '../../../../main/engine/wire/bytes';
import { SAMPLES } from './samples';

const KINDS = Object.keys(SAMPLES) as ControlMessageKind[];

describe('decodeControlMessage', () => {
  it.each(KINDS)('round-trips %s', (kind) => {
    const bytes = encodeControlMessage(SAMPLES[kind]);
    expect(decodeControlMessage(bytes)).toEqual({ ok: true, value: SAMPLES[kind] });
  });

  it.each(KINDS)('reports %s cut one octet short as truncated', (kind) => {
    const bytes = encodeControlMessage(SAMPLES[kind]);
    const r = decodeControlMessage(bytes.subarray(0, bytes.length - 1));
    expect(!r.ok && r.error.code).toBe('truncated');
  });

  it.each(KINDS)('refuses %s with a length field one more than the RFC length', (kind) => {
    const body = encodeControlMessage(SAMPLES[kind]);
    const longer = concatBytes([body, new Uint8Array(1)]);
    writeU16(longer, 0, CONTROL_MESSAGE_LENGTH[kind] + 1);
    const r = decodeControlMessage(longer);
    expect(!r.ok && r.error.code).toBe('bad-length');
  });

  it('refuses octets after the message', () => {
    const bytes = concatBytes([encodeControlMessage(SAMPLES.EchoRequest), new Uint8Array([0])]);
    const r = decodeControlMessage(bytes);
    expect(!r.ok && r.error.code).toBe('bad-length');
  });

  it('refuses an empty buffer and a short header', () => {
    for (const b of [new Uint8Array(0), fromHex('0010 0001 1a2b')]) {
      const r = decodeControlMessage(b);
      expect(!r.ok && r.error.code).toBe('truncated');
    }
  });

  it('refuses a bad magic cookie', () => {
    const b = encodeControlMessage(SAMPLES.SetLinkInfo).slice();
    writeU32(b, 4, 0);
    const r = decodeControlMessage(b);
    expect(!r.ok && r.error.code).toBe('bad-magic');
  });

  it('refuses an unknown control message type', () => {
    const b = encodeControlMessage(SAMPLES.EchoRequest).slice();
    writeU16(b, 8, 99);
    const r = decodeControlMessage(b);
    expect(!r.ok && r.error.code).toBe('unknown-type');
  });

  it('refuses a Phone Number Length longer than its 64-octet field (RFC 2637 §2.7)', () => {
    const b = encodeControlMessage(SAMPLES.OutgoingCallRequest).slice();
    writeU16(b, 36, 65);
    const r = decodeControlMessage(b);
    expect(!r.ok && r.error.code).toBe('bad-field');
  });

  it('refuses a Dialed or Dialing Number Length over 64 (RFC 2637 §2.9)', () => {
    for (const off of [24, 26]) {
      const b = encodeControlMessage(SAMPLES.IncomingCallRequest).slice();
      writeU16(b, off, 200);
      const r = decodeControlMessage(b);
      expect(!r.ok && r.error.code, String(off)).toBe('bad-field');
    }
  });

  it('ignores non-zero Reserved fields', () => {
    const b = encodeControlMessage(SAMPLES.StopControlConnectionRequest).slice();
    b[13] = 0xff;
    writeU16(b, 14, 0xffff);
    expect(decodeControlMessage(b)).toEqual({ ok: true, value: SAMPLES.StopControlConnectionRequest });
  });

  it('reads text up to the first NUL and masks non-printable octets', () => {
    const b = encodeControlMessage(SAMPLES.StartControlConnectionReply).slice();
    b.set([0x41, 0x07, 0x42, 0x00, 0x43], 28);
    const r = decodeControlMessage(b);
    expect(r.ok && r.value.kind === 'StartControlConnectionReply' && r.value.hostName).toBe('A?B');
  });

  it('decodes a pptpd Start-Control-Connection-Reply (pptpd-peer.md values)', () => {
    const host = 'local'.padEnd(64, '\0');
    const vendor = 'linux'.padEnd(64, '\0');
    const hex =
      '009c 0001 1a2b3c4d 0002 0000 0100 01 00 00000000 00000000 0001 0001' +
      Array.from(host + vendor, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
    const r = decodeControlMessage(fromHex(hex));
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'StartControlConnectionReply',
        protocolVersion: 0x0100,
        resultCode: 1,
        errorCode: 0,
        framingCapabilities: 0,
        bearerCapabilities: 0,
        maximumChannels: 1,
        firmwareRevision: 1,
        hostName: 'local',
        vendorString: 'linux',
      },
    });
  });

  it('never throws on random input', () => {
    let seed = 12345;
    for (let i = 0; i < 2000; i++) {
      const len = (seed = (seed * 1103515245 + 12345) >>> 0) % 240;
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      // Make half of them look like a header so the body decoders run too.
      if (i % 2 === 0 && len >= 12) {
        writeU16(b, 0, len);
        writeU16(b, 2, 1);
        writeU32(b, 4, 0x1a2b3c4d);
        writeU16(b, 8, 1 + (i % 15));
      }
      const r = decodeControlMessage(b);
      expect(typeof r.ok).toBe('boolean');
    }
  });
});
