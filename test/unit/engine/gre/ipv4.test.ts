/**
 * The IPv4 header a raw GRE socket delivers, as Linux hands it over (wire order, tot_len counts
 * the header) and as macOS does (XNU ip_input(): ip_len and ip_off in host byte order, ip_len
 * without the header; main/engine/gre/ipv4.ts cites the lines). The datagrams below are written
 * out byte by byte from those rules, not built by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { greFromIpv4Datagram, type RawIpv4Delivery } from '../../../../main/engine/gre/ipv4';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

const LINUX: RawIpv4Delivery = { kind: 'wire-order' };
const MAC: RawIpv4Delivery = { kind: 'xnu-host-order', hostLittleEndian: true }; // x64 and arm64
const BIG_ENDIAN_BSD_HOST: RawIpv4Delivery = { kind: 'xnu-host-order', hostLittleEndian: false };

// RFC 2637 §4.1 enhanced GRE: S+K flags, version 1, protocol 0x880b, payload length 4, call id
// 0x0080, sequence 1, then 4 bytes of PPP (16 bytes in all).
const GRE = '3001880b' + '00040080' + '00000001' + 'ff03c021';
const ADDRESSES = '0a4d0001' + '0a4d0002'; // 10.77.0.1 -> 10.77.0.2

// The same datagram (20-byte header, DF set, 16 bytes of GRE) as each kernel delivers it:
// (the checksum is left 0: the kernel verified it before raw delivery and nothing here reads it)
//            ver/ihl tos  length  id    flags+off ttl proto csum
const LINUX_HEADER = '45' + '00' + '0024' + '1c46' + '4000' + '40' + '2f' + '0000' + ADDRESSES; // tot_len 36, big-endian
const MAC_HEADER = '45' + '00' + '1000' + '1c46' + '0040' + '40' + '2f' + '0000' + ADDRESSES; // ip_len 16 (36 - 20) LE, DF LE

describe('greFromIpv4Datagram on Linux (wire order)', () => {
  it('linuxDatagram_yieldsGreAndAddresses', () => {
    const r = greFromIpv4Datagram(fromHex(LINUX_HEADER + GRE), LINUX);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.value.gre)).toBe(GRE);
    expect(r.value.source).toBe(0x0a4d0001);
    expect(r.value.destination).toBe(0x0a4d0002);
  });

  it('defaultDelivery_isLinux', () => {
    const r = greFromIpv4Datagram(fromHex(LINUX_HEADER + GRE));
    expect(r.ok && toHex(r.value.gre)).toBe(GRE);
  });

  it('ipOptions_areSkippedByIhl', () => {
    // IHL 6: one word of options (NOP NOP NOP EOL); tot_len 40.
    const header = '46' + '00' + '0028' + '1c46' + '4000' + '40' + '2f' + '0000' + ADDRESSES + '01010100';
    const r = greFromIpv4Datagram(fromHex(header + GRE), LINUX);
    expect(r.ok && toHex(r.value.gre)).toBe(GRE);
  });

  it('greIsAView_notACopy', () => {
    const datagram = fromHex(LINUX_HEADER + GRE);
    const r = greFromIpv4Datagram(datagram, LINUX);
    expect(r.ok && r.value.gre.buffer).toBe(datagram.buffer);
    expect(r.ok && r.value.gre.byteOffset).toBe(datagram.byteOffset + 20);
  });

  it('totalLengthBeyondTheBuffer_isTruncated', () => {
    const r = greFromIpv4Datagram(fromHex(LINUX_HEADER + GRE).subarray(0, 30), LINUX);
    expect(r.ok ? 'ok' : r.error.code).toBe('truncated');
  });

  it('bytesAfterTotalLength_areBadLength', () => {
    const r = greFromIpv4Datagram(fromHex(LINUX_HEADER + GRE + '00000000'), LINUX);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad-length');
  });

  it.each([
    ['more fragments', '2000'],
    ['fragment offset', '00b9'],
    ['last fragment (offset, DF clear)', '0010'],
  ])('a fragment (%s)_isBadField', (_what, flagsOffset) => {
    const header = LINUX_HEADER.slice(0, 12) + flagsOffset + LINUX_HEADER.slice(16);
    const r = greFromIpv4Datagram(fromHex(header + GRE), LINUX);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad-field');
  });

  it('reservedAndDontFragmentFlags_areAccepted', () => {
    const header = LINUX_HEADER.slice(0, 12) + 'c000' + LINUX_HEADER.slice(16);
    expect(greFromIpv4Datagram(fromHex(header + GRE), LINUX).ok).toBe(true);
  });

  it('aMacDatagram_isRejected_byteOrderMatters', () => {
    // ip_len read as wire order is 0x1000 = 4096, not the 36 bytes delivered.
    const r = greFromIpv4Datagram(fromHex(MAC_HEADER + GRE), LINUX);
    expect(r.ok ? 'ok' : r.error.code).toBe('truncated');
  });
});

describe('greFromIpv4Datagram on macOS (XNU host order)', () => {
  it('macDatagram_yieldsGreAndAddresses', () => {
    const r = greFromIpv4Datagram(fromHex(MAC_HEADER + GRE), MAC);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.value.gre)).toBe(GRE);
    expect(r.value.source).toBe(0x0a4d0001);
    expect(r.value.destination).toBe(0x0a4d0002);
  });

  it('ipOptions_areSkippedByIhl', () => {
    // IHL 6; ip_len = 16 (total 40 minus the 24-byte header), little-endian.
    const header = '46' + '00' + '1000' + '1c46' + '0040' + '40' + '2f' + '0000' + ADDRESSES + '01010100';
    const r = greFromIpv4Datagram(fromHex(header + GRE), MAC);
    expect(r.ok && toHex(r.value.gre)).toBe(GRE);
  });

  it('reassembledDatagram_withIpOffZero_isAccepted', () => {
    // ip_reass() shifts ip_off left by 3 (xnu ip_input.c l.2369): MF falls out, offset 0 stays 0.
    const header = MAC_HEADER.slice(0, 12) + '0000' + MAC_HEADER.slice(16);
    expect(greFromIpv4Datagram(fromHex(header + GRE), MAC).ok).toBe(true);
  });

  it('theGreLengthComesFromTheBuffer_notIpLen', () => {
    // ip_len is host order and header-less on XNU; whatever it says, the buffer decides.
    const header = MAC_HEADER.slice(0, 4) + 'ffff' + MAC_HEADER.slice(8);
    const r = greFromIpv4Datagram(fromHex(header + GRE), MAC);
    expect(r.ok && r.value.gre.length).toBe(16);
  });

  it.each([
    ['more fragments (0x2000 little-endian)', '0020'],
    ['fragment offset 0x00b9 little-endian', 'b900'],
  ])('a fragment (%s)_isBadField', (_what, flagsOffset) => {
    const header = MAC_HEADER.slice(0, 12) + flagsOffset + MAC_HEADER.slice(16);
    const r = greFromIpv4Datagram(fromHex(header + GRE), MAC);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad-field');
  });

  it('aLinuxDatagram_isRejected_byteOrderMatters', () => {
    // DF in wire order (40 00) read little-endian is 0x0040: a fragment offset of 64 words.
    const r = greFromIpv4Datagram(fromHex(LINUX_HEADER + GRE), MAC);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad-field');
  });

  it('aBigEndianHost_readsIpOffInItsOwnOrder', () => {
    const header = MAC_HEADER.slice(0, 4) + '0010' + MAC_HEADER.slice(8, 12) + '4000' + MAC_HEADER.slice(16);
    expect(greFromIpv4Datagram(fromHex(header + GRE), BIG_ENDIAN_BSD_HOST).ok).toBe(true);
    const fragment = MAC_HEADER.slice(0, 12) + '2000' + MAC_HEADER.slice(16);
    const r = greFromIpv4Datagram(fromHex(fragment + GRE), BIG_ENDIAN_BSD_HOST);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad-field');
  });

  it('headerOnly_yieldsAnEmptyGrePacket', () => {
    // Nothing after the header: gre-packet.ts, not this slicer, rejects a GRE packet that short.
    const header = MAC_HEADER.slice(0, 4) + '0000' + MAC_HEADER.slice(8);
    const r = greFromIpv4Datagram(fromHex(header), MAC);
    expect(r.ok && r.value.gre.length).toBe(0);
  });
});

describe('greFromIpv4Datagram rejects bogus headers on both', () => {
  const cases: [string, string, string][] = [
    ['fewer than 20 bytes', '4500', 'truncated'],
    ['IPv6 version nibble', '6' + LINUX_HEADER.slice(1), 'bad-version'],
    ['version 0', '0' + LINUX_HEADER.slice(1), 'bad-version'],
    ['IHL 4 (< 5 words)', '44' + LINUX_HEADER.slice(2), 'bad-length'],
    ['IHL 0', '40' + LINUX_HEADER.slice(2), 'bad-length'],
    ['IHL 15 beyond the buffer', '4f' + LINUX_HEADER.slice(2), 'truncated'],
    ['UDP, not GRE', LINUX_HEADER.slice(0, 18) + '11' + LINUX_HEADER.slice(20), 'unknown-type'],
  ];
  for (const [name, delivery] of [['linux', LINUX], ['darwin', MAC]] as const) {
    it.each(cases)(`${name}: %s`, (_what, hex, code) => {
      const r = greFromIpv4Datagram(fromHex(hex), delivery);
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
    });
  }
});
