import { describe, expect, it } from 'vitest';
import { ipv4ToString, parseIpv4 } from '../../../../main/engine/ppp/ipcp/options';
import { optionU32, optionValueU32 } from '../../../../main/engine/ppp/packet';
import { toHex } from '../../../../main/engine/wire/bytes';
import { lastSent, makeIpcp, optionsOf, receive, receiveRequest, replyOurs } from './ncp-fixtures';

const ip = (s: string): number => parseIpv4(s)!;

describe('IPCP (RFC 1332, RFC 1877): our request', () => {
  it('asks for an address, two DNS and two WINS servers, all 0.0.0.0', () => {
    const h = makeIpcp();
    const opts = optionsOf(h.sent[0]);
    expect(opts.map((o) => o.type)).toEqual([3, 129, 131, 130, 132]);
    expect(opts.every((o) => optionValueU32(o) === 0)).toBe(true);
  });

  it('leaves WINS out when not wanted', () => {
    expect(optionsOf(makeIpcp(false).sent[0]).map((o) => o.type)).toEqual([3, 129, 131]);
  });

  it('reqSent_receivesNak takes the address and name servers, stops asking for rejected ones', () => {
    const h = makeIpcp();
    replyOurs(h, 3, [optionU32(3, ip('192.168.77.10')), optionU32(129, ip('192.168.77.1'))]);
    let req = optionsOf(lastSent(h, 1));
    expect(req.map((o) => [o.type, ipv4ToString(optionValueU32(o)!)])).toEqual([
      [3, '192.168.77.10'],
      [129, '192.168.77.1'],
      [131, '0.0.0.0'],
      [130, '0.0.0.0'],
      [132, '0.0.0.0'],
    ]);
    replyOurs(h, 4, [optionU32(131, 0), optionU32(130, 0), optionU32(132, 0)]);
    req = optionsOf(lastSent(h, 1));
    expect(req.map((o) => o.type)).toEqual([3, 129]);
    replyOurs(h, 2);
    receiveRequest(h, 7, [optionU32(3, ip('192.168.77.1'))]);
    expect(h.fsm.state).toBe('opened');
    expect(h.ups).toEqual([{ localIp: '192.168.77.10', remoteIp: '192.168.77.1', dns: ['192.168.77.1'], wins: [] }]);
  });

  it('collects both DNS and both WINS servers', () => {
    const h = makeIpcp();
    replyOurs(h, 3, [
      optionU32(3, ip('10.0.0.5')),
      optionU32(129, ip('10.0.0.1')),
      optionU32(131, ip('10.0.0.2')),
      optionU32(130, ip('10.0.0.3')),
      optionU32(132, ip('10.0.0.4')),
    ]);
    replyOurs(h, 2);
    receiveRequest(h, 7, [optionU32(3, ip('10.0.0.254'))]);
    expect(h.ups[0]).toEqual({ localIp: '10.0.0.5', remoteIp: '10.0.0.254', dns: ['10.0.0.1', '10.0.0.2'], wins: ['10.0.0.3', '10.0.0.4'] });
  });

  it('lists a secondary DNS equal to the primary once (pppd with a single ms-dns)', () => {
    const h = makeIpcp();
    replyOurs(h, 3, [optionU32(3, ip('192.168.77.10')), optionU32(129, ip('192.168.77.1')), optionU32(131, ip('192.168.77.1'))]);
    replyOurs(h, 2);
    receiveRequest(h, 7, [optionU32(3, ip('192.168.77.1'))]);
    expect(h.ups[0]?.dns).toEqual(['192.168.77.1']);
  });

  it('fails when the server rejects IP-Address', () => {
    const h = makeIpcp();
    replyOurs(h, 4, [optionU32(3, 0)]);
    expect(h.failures).toEqual([expect.objectContaining({ reason: 'negotiation-failed', detail: expect.objectContaining({ option: 'IP-Address' }) })]);
  });

  it('fails when the server keeps Nak-ing the address with 0.0.0.0 (treated as Reject after Max-Failure)', () => {
    const h = makeIpcp();
    for (let i = 0; i < 6 && h.failures.length === 0; i++) replyOurs(h, 3, [optionU32(3, 0)]);
    expect(h.failures[0]).toMatchObject({ reason: 'negotiation-failed' });
  });

  it('fails when IPCP opens without an address (the server Acked 0.0.0.0)', () => {
    const h = makeIpcp();
    replyOurs(h, 2);
    receiveRequest(h, 7, [optionU32(3, ip('192.168.77.1'))]);
    expect(h.failures[0]).toMatchObject({ reason: 'negotiation-failed' });
    expect(h.ups).toEqual([]);
  });
});

describe('IPCP: the server request', () => {
  it('acks the server address', () => {
    const h = makeIpcp();
    receiveRequest(h, 2, [optionU32(3, ip('192.168.77.1'))]);
    expect(lastSent(h, 2)!.identifier).toBe(2);
  });

  it('rejects VJ compression, IP-Addresses, name-server options and unknown ones', () => {
    const h = makeIpcp();
    const vj = { type: 2, data: Uint8Array.of(0x00, 0x2d, 0x0f, 0x01) };
    const addrs = { type: 1, data: new Uint8Array(8) };
    receiveRequest(h, 2, [optionU32(3, ip('192.168.77.1')), vj, addrs, optionU32(129, 0), { type: 200, data: new Uint8Array(0) }]);
    const rej = lastSent(h, 4)!;
    expect(optionsOf(rej).map((o) => o.type)).toEqual([2, 1, 129, 200]);
    expect(toHex(optionsOf(rej)[0]!.data)).toBe('002d0f01');
  });

  it('rejects a server asking us for its address (0.0.0.0): the remote address stays unknown', () => {
    const h = makeIpcp();
    receiveRequest(h, 2, [optionU32(3, 0)]);
    expect(optionsOf(lastSent(h, 4)).map((o) => o.type)).toEqual([3]);
    receiveRequest(h, 3, []);
    replyOurs(h, 3, [optionU32(3, ip('10.1.1.1'))]);
    replyOurs(h, 2);
    expect(h.ups[0]).toMatchObject({ localIp: '10.1.1.1', remoteIp: undefined });
  });

  it('drops a request with a malformed option list', () => {
    const h = makeIpcp();
    receive(h, 1, 2, Uint8Array.of(3, 9, 1, 2));
    expect(h.fsm.counters.malformed).toBe(1);
    expect(h.sent.filter((p) => p.code !== 1)).toEqual([]);
  });
});

describe('IPv4 text helpers', () => {
  it('formats and parses dotted quads', () => {
    expect(ipv4ToString(0xc0a84d0a)).toBe('192.168.77.10');
    expect(parseIpv4('192.168.77.10')).toBe(0xc0a84d0a);
    expect(parseIpv4('256.1.1.1')).toBeUndefined();
    expect(parseIpv4('1.2.3')).toBeUndefined();
  });
});
