import { describe, expect, it } from 'vitest';
import { encodeControlMessage } from '../../../../main/engine/control/encode';
import { CONTROL_MESSAGE_LENGTH, ControlMessageType, type ControlMessageKind } from '../../../../main/engine/control/constants';
import { fromHex, readU16, readU32, toHex } from '../../../../main/engine/wire/bytes';
import { SAMPLES } from './samples';

/** NUL-padded ASCII as hex, `width` octets. */
function asciiField(text: string, width: number): string {
  let hex = '';
  for (let i = 0; i < width; i++) hex += (i < text.length ? text.charCodeAt(i) : 0).toString(16).padStart(2, '0');
  return hex;
}

describe('encodeControlMessage', () => {
  it('lays out Start-Control-Connection-Request field by field (RFC 2637 §2.1)', () => {
    const bytes = encodeControlMessage({
      kind: 'StartControlConnectionRequest',
      protocolVersion: 0x0100,
      framingCapabilities: 3,
      bearerCapabilities: 3,
      maximumChannels: 0,
      firmwareRevision: 1,
      hostName: 'local',
      vendorString: 'PPTP Manager',
    });
    const expected =
      '009c' + // Length 156
      '0001' + // PPTP Message Type: control
      '1a2b3c4d' + // Magic Cookie
      '0001' + // Control Message Type 1
      '0000' + // Reserved0
      '0100' + // Protocol Version 1.0
      '0000' + // Reserved1
      '00000003' + // Framing Capabilities: async | sync
      '00000003' + // Bearer Capabilities: analog | digital
      '0000' + // Maximum Channels
      '0001' + // Firmware Revision
      asciiField('local', 64) +
      asciiField('PPTP Manager', 64);
    expect(toHex(bytes)).toBe(expected);
    expect(bytes.length).toBe(156);
  });

  it('lays out Outgoing-Call-Request field by field (RFC 2637 §2.7)', () => {
    const bytes = encodeControlMessage({
      kind: 'OutgoingCallRequest',
      callId: 0xbeef,
      callSerialNumber: 0x0102,
      minimumBps: 2400,
      maximumBps: 10_000_000,
      bearerType: 3,
      framingType: 3,
      receiveWindowSize: 64,
      processingDelay: 0,
      phoneNumber: '',
      subaddress: '',
    });
    const expected =
      '00a8' + // Length 168
      '0001' +
      '1a2b3c4d' +
      '0007' + // Outgoing-Call-Request
      '0000' +
      'beef' + // Call ID
      '0102' + // Call Serial Number
      '00000960' + // Minimum BPS 2400
      '00989680' + // Maximum BPS 10,000,000
      '00000003' + // Bearer Type: either
      '00000003' + // Framing Type: either
      '0040' + // Packet Recv. Window Size 64
      '0000' + // Packet Processing Delay
      '0000' + // Phone Number Length
      '0000' + // Reserved1
      asciiField('', 64) +
      asciiField('', 64);
    expect(toHex(bytes)).toBe(expected);
  });

  it('writes the Phone Number Length from the text (RFC 2637 §2.7)', () => {
    const bytes = encodeControlMessage(SAMPLES.OutgoingCallRequest);
    expect(readU16(bytes, 36)).toBe('5551234'.length);
    expect(toHex(bytes.subarray(40, 47))).toBe(toHex(new TextEncoder().encode('5551234')));
  });

  it('truncates text to its fixed field and numbers to their width', () => {
    const bytes = encodeControlMessage({
      kind: 'StartControlConnectionRequest',
      protocolVersion: 0x10100,
      framingCapabilities: 0,
      bearerCapabilities: 0,
      maximumChannels: 0,
      firmwareRevision: 0,
      hostName: 'h'.repeat(100),
      vendorString: '',
    });
    expect(bytes.length).toBe(156);
    expect(readU16(bytes, 12)).toBe(0x0100);
    expect(bytes[28 + 63]).toBe('h'.charCodeAt(0));
    expect(bytes[28 + 64]).toBe(0); // vendor string starts right after 64 octets
  });

  it('gives every message its RFC length, type number, cookie and zero Reserved0', () => {
    for (const kind of Object.keys(SAMPLES) as ControlMessageKind[]) {
      const bytes = encodeControlMessage(SAMPLES[kind]);
      expect(bytes.length, kind).toBe(CONTROL_MESSAGE_LENGTH[kind]);
      expect(readU16(bytes, 0), kind).toBe(CONTROL_MESSAGE_LENGTH[kind]);
      expect(readU16(bytes, 2), kind).toBe(1);
      expect(readU32(bytes, 4), kind).toBe(0x1a2b3c4d);
      expect(readU16(bytes, 8), kind).toBe(ControlMessageType[kind]);
      expect(readU16(bytes, 10), kind).toBe(0);
    }
  });

  it('writes zero into the Reserved fields after the header', () => {
    // Stop-Control-Connection-Request (§2.3): Reason, Reserved1, Reserved2
    expect(toHex(encodeControlMessage(SAMPLES.StopControlConnectionRequest).subarray(12))).toBe('03000000');
    // Echo-Reply (§2.6): Identifier, Result, Error, Reserved1
    expect(toHex(encodeControlMessage(SAMPLES.EchoReply).subarray(12))).toBe('cafef00d01000000');
    // Set-Link-Info (§2.15): Peer's Call ID, Reserved1, Send ACCM, Receive ACCM
    expect(toHex(encodeControlMessage(SAMPLES.SetLinkInfo).subarray(12))).toBe('00290000ffffffff000a0000');
    // Call-Clear-Request (§2.12)
    expect(encodeControlMessage(SAMPLES.CallClearRequest)).toEqual(fromHex('0010 0001 1a2b3c4d 000c 0000 4321 0000'));
  });

  it('lays out Outgoing-Call-Reply as pptpd sends it (RFC 2637 §2.8)', () => {
    const bytes = encodeControlMessage({
      kind: 'OutgoingCallReply',
      callId: 0,
      peerCallId: 0xbeef,
      resultCode: 1,
      errorCode: 0,
      causeCode: 0,
      connectSpeed: 10_000_000,
      receiveWindowSize: 64,
      processingDelay: 0,
      physicalChannelId: 0,
    });
    expect(toHex(bytes)).toBe('0020' + '0001' + '1a2b3c4d' + '0008' + '0000' + '0000beef' + '0100' + '0000' + '00989680' + '0040' + '0000' + '00000000');
  });
});
