import { describe, expect, it } from 'vitest';
import { Rc4 } from '../../../../main/engine/crypto/rc4';
import type { Rc4Cipher } from '../../../../main/engine/crypto/rc4';
import { RC4_WASM_BYTES, WasmRc4, wasmRc4Available } from '../../../../main/engine/crypto/rc4-wasm';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

const text = (s: string) => new TextEncoder().encode(s);

// Both RC4s (the TypeScript one and the WebAssembly one the data path runs) must pass every case.
const implementations: readonly (readonly [string, (key: Uint8Array, keyLength?: number) => Rc4Cipher])[] = [
  ['Rc4', (key, keyLength) => new Rc4(key, keyLength)],
  ['WasmRc4', (key, keyLength) => new WasmRc4(key, keyLength)],
];

it('wasmRc4_compilesInThisRuntime', () => {
  // Node has WebAssembly: if the hand-built module stopped validating, the data path would
  // silently fall back to the TypeScript RC4. Fail here instead.
  expect(wasmRc4Available()).toBe(true);
  expect(WebAssembly.validate(RC4_WASM_BYTES)).toBe(true);
});

for (const [name, make] of implementations) {
  function keystream(key: string, offset: number, length: number): string {
    const rc4 = make(fromHex(key));
    rc4.skip(offset);
    return toHex(rc4.process(new Uint8Array(length)));
  }

  describe(name, () => {
    // RFC 6229 §2: keystream at offsets 0, 16 and 4096 (40-bit key), 0 and 1520 (128-bit key), 0 (64-bit key).
    it('rfc6229_40bitKey_offsets0_16_4096', () => {
      expect(keystream('0102030405', 0, 16)).toBe('b2396305f03dc027ccc3524a0a1118a8');
      expect(keystream('0102030405', 16, 16)).toBe('6982944f18fc82d589c403a47a0d0919');
      expect(keystream('0102030405', 4096, 16)).toBe('ff25b58995996707e51fbdf08b34d875');
    });

    it('rfc6229_64bitKey_offset0', () => {
      expect(keystream('0102030405060708', 0, 16)).toBe('97ab8a1bf0afb96132f2f67258da15a8');
    });

    it('rfc6229_128bitKey_offsets0_1520', () => {
      expect(keystream('0102030405060708090a0b0c0d0e0f10', 0, 16)).toBe('9ac7cc9a609d1ef7b2932899cde41b97');
      expect(keystream('0102030405060708090a0b0c0d0e0f10', 1520, 16)).toBe('b40110c4190b5622a96116b0017ed297');
    });

    it('classicTextVectors', () => {
      expect(toHex(make(text('Key')).process(text('Plaintext')))).toBe('bbf316e8d940af0ad3');
      expect(toHex(make(text('Wiki')).process(text('pedia')))).toBe('1021bf0420');
      expect(toHex(make(text('Secret')).process(text('Attack at dawn')))).toBe('45a01f645fc35b383552544b9bf5');
    });

    it('decryptsWhatItEncrypted_andContinuesTheKeystreamAcrossCalls', () => {
      const key = text('Secret');
      const whole = make(key).process(text('Attack at dawn'));
      const a = make(key);
      const parts = [a.process(text('Attack')), a.process(text(' at dawn'))];
      expect(toHex(parts[0]!) + toHex(parts[1]!)).toBe(toHex(whole));
      expect(new TextDecoder().decode(make(key).process(whole))).toBe('Attack at dawn');
    });

    it('setKey_restartsTheKeystreamInPlace_sameAsANewInstance', () => {
      const rc4 = make(text('first key'));
      rc4.process(new Uint8Array(100));
      rc4.setKey(fromHex('0102030405'));
      expect(toHex(rc4.process(new Uint8Array(16)))).toBe('b2396305f03dc027ccc3524a0a1118a8');
    });

    it('setKey_usesOnlyKeyLengthOctetsOfALargerBuffer', () => {
      const buffer = fromHex('0102030405ffffffffff');
      const rc4 = make(buffer, 5);
      expect(toHex(rc4.process(new Uint8Array(16)))).toBe('b2396305f03dc027ccc3524a0a1118a8');
    });

    it('crypt_worksInPlaceAndAtOffsets', () => {
      const plain = text('xxhello worldyy');
      const expected = make(text('k')).process(text('hello world'));
      const buffer = plain.slice();
      make(text('k')).crypt(buffer, 2, 11, buffer, 2);
      expect(toHex(buffer.subarray(2, 13))).toBe(toHex(expected));
      expect(new TextDecoder().decode(buffer.subarray(0, 2))).toBe('xx');
      expect(new TextDecoder().decode(buffer.subarray(13))).toBe('yy');
    });

    it('refusesBadKeysAndRanges', () => {
      expect(() => make(new Uint8Array(0))).toThrow(RangeError);
      expect(() => make(new Uint8Array(4), 5)).toThrow(RangeError);
      const rc4 = make(text('k'));
      expect(() => rc4.crypt(new Uint8Array(4), 2, 3, new Uint8Array(8), 0)).toThrow(RangeError);
      expect(() => rc4.crypt(new Uint8Array(4), 0, 4, new Uint8Array(3), 0)).toThrow(RangeError);
    });

    it('randomKeysOfEveryLength_matchTheTextbookAlgorithm', () => {
      // The key schedule is written for speed (identity copy, nested loops): check it against the
      // RFC 3078 §2 / textbook form for key lengths 1..256 and keystreams across calls.
      function textbook(key: Uint8Array, data: Uint8Array): Uint8Array {
        const s = Array.from({ length: 256 }, (_, n) => n);
        for (let n = 0, j = 0; n < 256; n++) {
          j = (j + s[n]! + key[n % key.length]!) & 0xff;
          [s[n], s[j]] = [s[j]!, s[n]!];
        }
        const out = new Uint8Array(data.length);
        for (let n = 0, i = 0, j = 0; n < data.length; n++) {
          i = (i + 1) & 0xff;
          j = (j + s[i]!) & 0xff;
          [s[i], s[j]] = [s[j]!, s[i]!];
          out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
        }
        return out;
      }
      let seed = 99;
      const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
      const rc4 = make(new Uint8Array([1]));
      for (let length = 1; length <= 256; length++) {
        const key = Uint8Array.from({ length }, next);
        const data = Uint8Array.from({ length: 300 + length }, next);
        rc4.setKey(key);
        const out = new Uint8Array(data.length);
        rc4.crypt(data, 0, 100, out, 0);
        rc4.crypt(data, 100, data.length - 100, out, 100);
        expect(toHex(out)).toBe(toHex(textbook(key, data)));
      }
    });
  });
}

describe('WasmRc4 copies across the boundary', () => {
  it('crypt_matchesRc4_forRangesTheScratchAreaCannotHold_andLongerThanOnePage', () => {
    // Far offsets (the subarray copy-in), inputs longer than the data area (several steps), and
    // output views of every cached length and beyond.
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    const key = Uint8Array.from({ length: 16 }, next);
    const ts = new Rc4(key);
    const wasm = new WasmRc4(key);
    for (const [offset, length] of [[0, 0], [3, 1], [3584, 40], [3585, 40], [10, 2048], [10, 2049], [0, 61440], [5, 140_000]] as const) {
      const input = Uint8Array.from({ length: offset + length + 3 }, next);
      const a = new Uint8Array(input.length);
      const b = new Uint8Array(input.length);
      ts.crypt(input, offset, length, a, 1);
      wasm.crypt(input, offset, length, b, 1);
      expect(toHex(b)).toBe(toHex(a));
    }
  });
});
