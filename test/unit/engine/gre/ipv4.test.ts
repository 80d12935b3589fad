import { describe, expect, it } from 'vitest';
import { greFromIpv4Datagram } from '../../../../main/engine/gre/ipv4';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

// 20-byte IPv4 header: 10.77.0.1 -> 10.77.0.2, protocol 47.
const IP_HEADER = '4500002c00004000402f0000' + '0a4d0001' + '0a4d0002';
const GRE = '2081880b00000080ffffffff';

describe('greFromIpv4Datagram', () => {
  it('rawSocketDatagram_yieldsGreAndAddresses', () => {
    const r = greFromIpv4Datagram(fromHex(IP_HEADER + GRE));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.value.gre)).toBe(GRE);
    expect(r.value.source).toBe(0x0a4d0001);
    expect(r.value.destination).toBe(0x0a4d0002);
  });
  it('ipOptions_areSkippedByIhl', () => {
    const withOptions = '4600003000004000402f0000' + '0a4d0001' + '0a4d0002' + '01010100';
    const r = greFromIpv4Datagram(fromHex(withOptions + GRE));
    expect(r.ok && toHex(r.value.gre)).toBe(GRE);
  });
  it('badInput_isTypedError', () => {
    const cases: [string, string][] = [
      ['4500', 'truncated'],
      ['6500002c00004000402f0000' + '0a4d0001' + '0a4d0002', 'bad-version'],
      ['4400002c00004000402f0000' + '0a4d0001' + '0a4d0002', 'bad-length'],
      ['4f00002c00004000402f0000' + '0a4d0001' + '0a4d0002', 'truncated'],
      ['4500002c0000400040110000' + '0a4d0001' + '0a4d0002', 'unknown-type'],
    ];
    for (const [hex, code] of cases) {
      const r = greFromIpv4Datagram(fromHex(hex));
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
    }
  });
});
