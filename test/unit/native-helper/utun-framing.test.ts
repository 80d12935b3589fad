/**
 * The utun family prefix (native-helper/src/utun_frame.h) through the addon's utunFraming
 * export: the same C++ tun_darwin.cc runs on every packet on macOS, run here on Linux.
 * XNU bsd/net/if_utun.c: 4 bytes, network byte order, AF_INET 2 / AF_INET6 30 (Darwin values).
 */
import { describe, expect, it } from 'vitest';
import { loadNativeHelper, reportBlocker } from './support';

const { helper, blocker } = loadNativeHelper();
reportBlocker('utun framing', blocker);

/** A minimal IPv4 header (RFC 791): version 4, IHL 5, total length 20 + payload. */
function ipv4Packet(payload: number[] = []): Buffer {
  const packet = Buffer.alloc(20 + payload.length);
  packet[0] = 0x45;
  packet.writeUInt16BE(packet.length, 2);
  packet[8] = 64;
  packet[9] = 17;
  Buffer.from([192, 0, 2, 1, 192, 0, 2, 2]).copy(packet, 12);
  Buffer.from(payload).copy(packet, 20);
  return packet;
}

/** A minimal IPv6 header (RFC 8200): version 6, payload length, next header 59 (none). */
function ipv6Packet(payload: number[] = []): Buffer {
  const packet = Buffer.alloc(40 + payload.length);
  packet[0] = 0x60;
  packet.writeUInt16BE(payload.length, 4);
  packet[6] = 59;
  packet[7] = 64;
  packet[8] = 0x20;
  packet[9] = 0x01;
  packet[10] = 0x0d;
  packet[11] = 0xb8;
  Buffer.from(payload).copy(packet, 40);
  return packet;
}

function frame(family: number[], packet: Buffer): Buffer {
  return Buffer.concat([Buffer.from(family), packet]);
}

describe.skipIf(helper === null)(`utun framing${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  // Collected even when skipped: dereference lazily, inside each test.
  const framing = new Proxy({} as NonNullable<NonNullable<typeof helper>['utunFraming']>, { get: (_, key) => Reflect.get(helper!.utunFraming!, key) });

  it('constants_areDarwinsNotLinuxs', () => {
    expect(framing.AF_INET).toBe(2);
    expect(framing.AF_INET6).toBe(30);
    expect(framing.headerLength).toBe(4);
  });

  it('encapsulate_ipv4_prefixesAfInetBigEndian', () => {
    const packet = ipv4Packet([1, 2, 3]);
    const framed = framing.encapsulate(packet);
    expect([...framed.subarray(0, 4)]).toEqual([0, 0, 0, 2]);
    expect(framed.subarray(4).equals(packet)).toBe(true);
  });

  it('encapsulate_ipv6_prefixesAfInet6_30_BigEndian', () => {
    const packet = ipv6Packet([9, 9]);
    const framed = framing.encapsulate(packet);
    expect([...framed.subarray(0, 4)]).toEqual([0, 0, 0, 30]);
    expect(framed.length).toBe(4 + packet.length);
    expect(framed.subarray(4).equals(packet)).toBe(true);
  });

  it('encapsulate_otherVersionOrEmpty_refusedWithStableCodes', () => {
    const notIp = ipv4Packet();
    notIp[0] = 0x55;
    expect(() => framing.encapsulate(notIp)).toThrow(expect.objectContaining({ code: 'ERR_UTUN_FRAME_IP_VERSION' }));
    expect(() => framing.encapsulate(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'ERR_UTUN_FRAME_EMPTY' }));
    expect(() => framing.encapsulate('45' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('decapsulate_ipv4AndIpv6_stripsPrefixAndReportsFamily', () => {
    const v4 = ipv4Packet([7]);
    expect(framing.decapsulate(frame([0, 0, 0, 2], v4))).toEqual({ ok: true, family: 2, packet: v4 });
    const v6 = ipv6Packet([8]);
    expect(framing.decapsulate(frame([0, 0, 0, 30], v6))).toEqual({ ok: true, family: 30, packet: v6 });
  });

  it('decapsulate_roundTripsEncapsulate', () => {
    for (const packet of [ipv4Packet(), ipv4Packet(Array.from({ length: 1400 }, (_, i) => i & 0xff)), ipv6Packet()]) {
      const result = framing.decapsulate(framing.encapsulate(packet));
      expect(result.ok && result.packet.equals(packet)).toBe(true);
    }
  });

  it('decapsulate_unknownFamily_dropped', () => {
    // Linux's AF_INET6 (10) is not Darwin's, and a little-endian prefix is not network order.
    expect(framing.decapsulate(frame([0, 0, 0, 10], ipv6Packet()))).toEqual({ ok: false, family: 10, reason: 'unknown-family' });
    expect(framing.decapsulate(frame([2, 0, 0, 0], ipv4Packet()))).toEqual({
      ok: false,
      family: 0x02000000,
      reason: 'unknown-family',
    });
  });

  it('decapsulate_shorterThanPrefixPlusHeader_dropped', () => {
    expect(framing.decapsulate(frame([0, 0, 0, 2], ipv4Packet().subarray(0, 19)))).toMatchObject({ ok: false, reason: 'too-short' });
    expect(framing.decapsulate(Buffer.from([0, 0, 0]))).toMatchObject({ ok: false, reason: 'too-short' });
    // 4 + 20 is enough for IPv4 but not for the 40-octet IPv6 header.
    expect(framing.decapsulate(frame([0, 0, 0, 2], ipv4Packet()))).toMatchObject({ ok: true });
    expect(framing.decapsulate(frame([0, 0, 0, 30], ipv6Packet().subarray(0, 39)))).toMatchObject({ ok: false, reason: 'too-short' });
  });

  it('decapsulate_familyDisagreesWithVersionNibble_dropped', () => {
    expect(framing.decapsulate(frame([0, 0, 0, 2], ipv6Packet()))).toMatchObject({ ok: false, reason: 'version-mismatch' });
    expect(framing.decapsulate(frame([0, 0, 0, 30], Buffer.concat([ipv4Packet(), Buffer.alloc(20)])))).toMatchObject({
      ok: false,
      reason: 'version-mismatch',
    });
  });
});
