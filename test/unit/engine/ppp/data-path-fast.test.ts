import { describe, expect, it } from 'vitest';
import { GreCall } from '../../../../main/engine/gre/gre-call';
import { MppeCipherDecryptor, MppeCipherEncryptor } from '../../../../main/engine/ppp/mppe';
import type { MppeParams } from '../../../../main/engine/ppp/mppe-contract';

/** The data path's allocation-light forms must match the general ones exactly (issue 12). */
const key = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
let seed = 3;
const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;

describe('MPPE in place', () => {
  for (const stateful of [false, true]) {
    const params: MppeParams = { bits: 128, stateful };
    it(`sealInPlace_equalsEncrypt_${stateful ? 'stateful' : 'stateless'}`, () => {
      const a = new MppeCipherEncryptor(key, params);
      const b = new MppeCipherEncryptor(key, params);
      for (let n = 0; n < 600; n++) {
        const plain = Uint8Array.from({ length: 1 + (next() % 64) }, next);
        const buf = new Uint8Array(5 + plain.length);
        buf.set(plain, 3);
        b.sealInPlace(buf, 1, plain.length);
        expect(Array.from(buf.subarray(1, 3 + plain.length))).toEqual(Array.from(a.encrypt(plain)));
      }
    });

    it(`openIpInPlace_agreesWithDecrypt_onGoodLostAndBrokenPackets_${stateful ? 'stateful' : 'stateless'}`, () => {
      const enc = new MppeCipherEncryptor(key, params);
      const general = new MppeCipherDecryptor(key, params);
      const fast = new MppeCipherDecryptor(key, params);
      for (let n = 0; n < 1500; n++) {
        // IP (0x0021, sometimes PFC-compressed), or another protocol (0x0057).
        const kind = next() % 4;
        const body = Uint8Array.from({ length: 1 + (next() % 40) }, next);
        const plain = kind === 0 ? Uint8Array.from([0x21, ...body]) : kind === 1 ? Uint8Array.from([0x00, 0x57, ...body]) : Uint8Array.from([0x00, 0x21, ...body]);
        const packet = enc.encrypt(plain);
        if (next() % 10 === 0) continue; // lost
        if (next() % 25 === 0) packet[0] = packet[0]! & 0x7f; // flushed bit cleared
        const framed = Uint8Array.from([0xaa, 0xbb, ...packet]);
        const r = general.decrypt(packet);
        const ipStart = fast.openIpInPlace(framed, 2);
        const ip = ipStart < 0 ? undefined : framed.subarray(ipStart);
        expect(general.takeResetRequest()).toBe(fast.takeResetRequest());
        if (!r.ok) {
          expect(ip).toBeUndefined();
          expect(fast.lastError?.code).toBe(r.error.code);
          continue;
        }
        expect(fast.lastError).toBeUndefined();
        const isIp = r.value[0] === 0x00 && r.value[1] === 0x21;
        if (isIp) expect(Array.from(ip!)).toEqual(Array.from(r.value.subarray(2)));
        else {
          expect(ip).toBeUndefined();
          expect(fast.lastProtocol).toBe((r.value[0]! << 8) | r.value[1]!);
        }
      }
    });
  }
});

describe('MPPE openInPlace', () => {
  it('decryptsWhereTheCiphertextLies_andLeavesARefusedPacketUntouched', () => {
    const params: MppeParams = { bits: 128, stateful: false };
    const enc = new MppeCipherEncryptor(key, params);
    const dec = new MppeCipherDecryptor(key, params);
    const plain = Uint8Array.from([0x00, 0x21, 1, 2, 3, 4, 5]);
    const packet = enc.encrypt(plain);
    const buf = Uint8Array.from([9, 9, ...packet, 7]);
    expect(dec.openInPlace(buf, 2, packet.length)).toBe(4);
    expect(Array.from(buf)).toEqual([9, 9, packet[0], packet[1], ...plain, 7]);
    // The same count again: refused as stale, the octets left as they were.
    const replay = Uint8Array.from(packet);
    expect(dec.openInPlace(replay, 0, replay.length)).toBe(-1);
    expect(dec.lastError?.code).toBe('stale');
    expect(Array.from(replay)).toEqual(Array.from(packet));
    expect(() => dec.openInPlace(buf, 2, buf.length)).toThrow(RangeError);
  });
});

describe('GreCall.sendPayloadAt', () => {
  it('writesTheSamePacketsAsSendPayload_inPlaceWhenTheHeadroomFits', () => {
    const config = { localCallId: 7, peerCallId: 9, peerReceiveWindow: 8 };
    const a = new GreCall(config);
    const b = new GreCall(config);
    for (let n = 0; n < 40; n++) {
      if (n === 5) {
        // From now on both have received something: packets carry an acknowledgement.
        const incoming = Uint8Array.from([0x30, 0x01, 0x88, 0x0b, 0x00, 0x01, 0x00, 0x07, 0, 0, 0, 1, 0x55]);
        a.handleGre(n, incoming);
        b.handleGre(n, incoming.slice(0));
        while (a.pollReceived());
        while (b.pollReceived());
      }
      const frame = Uint8Array.from({ length: 1 + (next() % 30) }, next);
      const withHeadroom = new Uint8Array(16 + frame.length);
      withHeadroom.set(frame, 16);
      a.sendPayload(n, frame);
      b.sendPayloadAt(n, withHeadroom, 16);
      if (n % 4 === 3) {
        const ack = Uint8Array.from([0x20, 0x81, 0x88, 0x0b, 0, 0, 0, 7, 0, 0, 0, n]);
        a.handleGre(n, ack);
        b.handleGre(n, ack.slice(0));
      }
      const pa: number[][] = [];
      const pb: number[][] = [];
      for (let p = a.pollTransmit(); p; p = a.pollTransmit()) pa.push(Array.from(p));
      for (let p = b.pollTransmit(); p; p = b.pollTransmit()) pb.push(Array.from(p));
      expect(pb).toEqual(pa);
    }
    expect(b.counters).toEqual(a.counters);
  });
});
