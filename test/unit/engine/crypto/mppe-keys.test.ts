import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MppeKeySchedule,
  getAsymmetricStartKey,
  getMasterKey,
  getNewKeyFromSha,
  initialSessionKey,
  mppeKeyLength,
  mppeStartKeysFromMschapv1,
  mppeStartKeysFromMschapv2,
  nextSessionKey,
  reduceSessionKey,
  typeScriptHasher,
  typeScriptRc4,
} from '../../../../main/engine/crypto/mppe-keys';
import { WasmRc4 } from '../../../../main/engine/crypto/rc4-wasm';
import type { MppeKeyBits } from '../../../../preload/vocabulary';
import { md4 } from '../../../../main/engine/crypto/md4';
import { Rc4 } from '../../../../main/engine/crypto/rc4';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

// RFC 3079 §3.5 uses the inputs of RFC 2759 §9.2.
const PASSWORD = 'clientPass';
const NT_RESPONSE = fromHex('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF');
const PASSWORD_HASH_HASH = fromHex('41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F');
const MASTER_KEY = 'fdece3717a8c838cb388e527ae3cdd31';
// The key RFC 3079 §3.5 prints ("Send") is the third-magic key: the client's RECEIVE key.
const CLIENT_RECEIVE_START = '8b7cdc149b993a1ba118cb153f56dccb';
// From /work/shared/notes/rfc-vectors.md: the client's own send key (second magic).
const CLIENT_SEND_START = 'd5f0e9521e3ea9589645e86051c82226';
const TEST_MESSAGE = new TextEncoder().encode('test message');

/** The steps of RFC 3079 §3.4 / §7 written out with node:crypto, independent of the module. */
const reference = {
  sha1: (...parts: Uint8Array[]) => {
    const h = createHash('sha1');
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  },
  getNewKeyFromSha(start: Uint8Array, session: Uint8Array, len: number): Uint8Array {
    return this.sha1(start.subarray(0, len), new Uint8Array(40), session.subarray(0, len), new Uint8Array(40).fill(0xf2)).slice(0, len);
  },
  reduce(key: Uint8Array, bits: MppeKeyBits): Uint8Array {
    const k = key.slice();
    if (bits === 40) k.set([0xd1, 0x26, 0x9e]);
    if (bits === 56) k[0] = 0xd1;
    return k;
  },
};

describe('RFC 3079 §3.5 master and start keys', () => {
  it('getMasterKey_takesTheNtResponse', () => {
    expect(toHex(getMasterKey(PASSWORD_HASH_HASH, NT_RESPONSE))).toBe(MASTER_KEY);
  });
  it('getAsymmetricStartKey_magicBySideAndDirection', () => {
    const master = fromHex(MASTER_KEY);
    expect(toHex(getAsymmetricStartKey(master, 16, false, false))).toBe(CLIENT_RECEIVE_START);
    expect(toHex(getAsymmetricStartKey(master, 16, true, true))).toBe(CLIENT_RECEIVE_START); // server send
    expect(toHex(getAsymmetricStartKey(master, 16, true, false))).toBe(CLIENT_SEND_START);
    expect(toHex(getAsymmetricStartKey(master, 8, false, true))).toBe(CLIENT_SEND_START.slice(0, 16));
  });
  it('mppeStartKeysFromMschapv2_clientPerspective', () => {
    const keys = mppeStartKeysFromMschapv2(PASSWORD, NT_RESPONSE);
    expect(toHex(keys.send)).toBe(CLIENT_SEND_START);
    expect(toHex(keys.receive)).toBe(CLIENT_RECEIVE_START);
  });
});

describe('RFC 3079 §3.5 session keys and RC4("test message")', () => {
  // Client receive direction: the values RFC 3079 §3.5 prints.
  const receiveVectors: [MppeKeyBits, string, string][] = [
    [40, 'd1269ec49fa62e3e', '929137917e5803d668d75898'],
    [56, 'd15c00c49fa62e3e', '3f106833fa448da842bc57b8'], // some copies print ...57 58; it computes to 57 B8
    [128, '405cb2247a7956e6e211007ae27b22d4', '81848317df68846272fb5abe'],
  ];
  for (const [bits, session, cipher] of receiveVectors) {
    it(`clientReceive_${bits}bit_sessionKeyAndCiphertext`, () => {
      const key = initialSessionKey(fromHex(CLIENT_RECEIVE_START), bits);
      expect(toHex(key)).toBe(session);
      expect(toHex(new Rc4(key).process(TEST_MESSAGE))).toBe(cipher);
      const schedule = new MppeKeySchedule(fromHex(CLIENT_RECEIVE_START), bits);
      expect(toHex(schedule.sessionKey)).toBe(session);
      expect(toHex(schedule.cipher.process(TEST_MESSAGE))).toBe(cipher);
    });
  }

  it('clientSend_128bit_valuesFromTheNote', () => {
    const key = initialSessionKey(fromHex(CLIENT_SEND_START), 128);
    expect(toHex(key)).toBe('49d11d0f0cc6befba2a9b4b688f91eee');
    expect(toHex(new Rc4(key).process(TEST_MESSAGE))).toBe('b56ca95695e14acb15f1ba3c');
    expect(toHex(new MppeKeySchedule(fromHex(CLIENT_SEND_START), 128).cipher.process(TEST_MESSAGE))).toBe(
      'b56ca95695e14acb15f1ba3c',
    );
  });

  for (const bits of [40, 56] as const) {
    it(`clientSend_${bits}bit_matchesTheReferenceSteps`, () => {
      const start = fromHex(CLIENT_SEND_START);
      const expected = reference.reduce(reference.getNewKeyFromSha(start, start, 8), bits);
      const key = initialSessionKey(start, bits);
      expect(toHex(key)).toBe(toHex(expected));
      expect(key[0]).toBe(0xd1);
      expect(toHex(new MppeKeySchedule(start, bits).cipher.process(TEST_MESSAGE))).toBe(
        toHex(new Rc4(expected).process(TEST_MESSAGE)),
      );
    });
  }

  it('40and56bit_shareTheUnsaltedTail', () => {
    const a = initialSessionKey(fromHex(CLIENT_RECEIVE_START), 40);
    const b = initialSessionKey(fromHex(CLIENT_RECEIVE_START), 56);
    expect(toHex(a.subarray(3))).toBe(toHex(b.subarray(3)));
  });
});

describe('rekeying (RFC 3078 §7.3)', () => {
  for (const bits of [40, 56, 128] as const) {
    it(`rekey_${bits}bit_rc4PassOverTheInterimKey_matchesReferenceFor20Steps`, () => {
      const start = fromHex(CLIENT_SEND_START);
      const len = mppeKeyLength(bits);
      const schedule = new MppeKeySchedule(start, bits);
      let expected = reference.reduce(reference.getNewKeyFromSha(start, start, len), bits);
      for (let step = 0; step < 20; step++) {
        const interim = reference.getNewKeyFromSha(start, expected, len);
        expected = reference.reduce(new Rc4(interim).process(interim), bits);
        schedule.rekey();
        expect(toHex(schedule.sessionKey)).toBe(toHex(expected));
      }
      expect(toHex(schedule.cipher.process(TEST_MESSAGE))).toBe(toHex(new Rc4(expected).process(TEST_MESSAGE)));
    });
  }

  it('rekey_randomStartKeys_fixedShapeSha1MatchesNodeCryptoReference', () => {
    // The schedule hashes with its own two-block SHA-1; the reference uses node:crypto.
    let seed = 0x1234567;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    for (const bits of [40, 56, 128] as const) {
      const len = mppeKeyLength(bits);
      for (let key = 0; key < 30; key++) {
        const start = Uint8Array.from({ length: 16 }, next);
        const schedule = new MppeKeySchedule(start, bits);
        let expected = reference.reduce(reference.getNewKeyFromSha(start, start, len), bits);
        expect(toHex(schedule.sessionKey)).toBe(toHex(expected));
        for (let step = 0; step < 40; step++) {
          const interim = reference.getNewKeyFromSha(start, expected, len);
          expected = reference.reduce(new Rc4(interim).process(interim), bits);
          schedule.rekey();
        }
        expect(toHex(schedule.sessionKey)).toBe(toHex(expected));
      }
    }
  });

  it('nextSessionKey_equalsOneScheduleRekey', () => {
    const start = fromHex(CLIENT_RECEIVE_START);
    const schedule = new MppeKeySchedule(start, 128);
    const next = nextSessionKey(start, schedule.sessionKey, 128);
    schedule.rekey();
    expect(toHex(schedule.sessionKey)).toBe(toHex(next));
  });

  it('schedule_runsTheWebAssemblyRc4AndSha1_andAgreesWithTheTypeScriptOnes_overManyRekeys', () => {
    const start = fromHex(CLIENT_RECEIVE_START);
    const fast = new MppeKeySchedule(start, 128);
    const ts = new MppeKeySchedule(start, 128, { rc4: typeScriptRc4, hasher: typeScriptHasher });
    expect(fast.cipher).toBeInstanceOf(WasmRc4);
    for (let n = 0; n < 300; n++) {
      fast.rekey();
      ts.rekey();
      expect(toHex(fast.sessionKey)).toBe(toHex(ts.sessionKey));
    }
    expect(toHex(fast.cipher.process(TEST_MESSAGE))).toBe(toHex(ts.cipher.process(TEST_MESSAGE)));
  });

  it('resetCipher_restartsTheKeystreamUnderTheSameKey', () => {
    const schedule = new MppeKeySchedule(fromHex(CLIENT_RECEIVE_START), 128);
    const first = schedule.cipher.process(TEST_MESSAGE);
    schedule.resetCipher();
    expect(toHex(schedule.cipher.process(TEST_MESSAGE))).toBe(toHex(first));
  });
});

describe('helpers', () => {
  it('getNewKeyFromSha_matchesReference_andUsesOnlyKeyLengthOctets', () => {
    const start = fromHex(CLIENT_RECEIVE_START);
    expect(toHex(getNewKeyFromSha(start, start, 16))).toBe(toHex(reference.getNewKeyFromSha(start, start, 16)));
    const longer = new Uint8Array(20);
    longer.set(start.subarray(0, 8));
    expect(toHex(getNewKeyFromSha(longer, start, 8))).toBe(toHex(getNewKeyFromSha(start, start, 8)));
  });
  it('reduceSessionKey_inPlace', () => {
    const k = new Uint8Array(8).fill(0x55);
    expect(reduceSessionKey(k, 40)).toBe(k);
    expect(toHex(k)).toBe('d1269e5555555555');
    const j = new Uint8Array(16).fill(0x55);
    expect(toHex(reduceSessionKey(j, 128))).toBe('55'.repeat(16));
  });
  it('mppeKeyLength_8For40And56_16For128', () => {
    expect([mppeKeyLength(40), mppeKeyLength(56), mppeKeyLength(128)]).toEqual([8, 8, 16]);
  });
  it('refusesWrongLengths', () => {
    expect(() => getMasterKey(new Uint8Array(16), new Uint8Array(16))).toThrow(RangeError);
    expect(() => new MppeKeySchedule(new Uint8Array(8), 128)).toThrow(RangeError);
    expect(() => mppeStartKeysFromMschapv1('p', new Uint8Array(16))).toThrow(RangeError);
  });
});

describe('MS-CHAPv1 start keys (pppd chap_ms.c mppe_set_keys)', () => {
  const challenge = fromHex('10 2D B5 DF 08 5D 30 41');
  it('sha1OfHashHashTwiceAndTheChallenge_sameKeyBothWays', () => {
    // RFC 2759 §9.3 gives the "MyPw" password hash; its MD4 is the hash-hash pppd hashes.
    const hashHash = md4(fromHex('FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC'));
    const expected = reference.sha1(hashHash, hashHash, challenge).slice(0, 16);
    const keys = mppeStartKeysFromMschapv1('MyPw', challenge);
    expect(toHex(keys.send)).toBe(toHex(expected));
    expect(toHex(keys.receive)).toBe(toHex(expected));
    expect(keys.send).not.toBe(keys.receive); // independent buffers
  });
  it('dependsOnTheChallenge', () => {
    const other = mppeStartKeysFromMschapv1('MyPw', fromHex('10 2D B5 DF 08 5D 30 40'));
    expect(toHex(other.send)).not.toBe(toHex(mppeStartKeysFromMschapv1('MyPw', challenge).send));
  });
});
