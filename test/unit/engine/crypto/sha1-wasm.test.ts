import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GetNewKeyHasher } from '../../../../main/engine/crypto/mppe-keys';
import { SHA1_WASM_BYTES, WasmGetNewKeyHasher, wasmSha1Available } from '../../../../main/engine/crypto/sha1-wasm';
import { toHex } from '../../../../main/engine/wire/bytes';

/** RFC 3079 §7 GetNewKeyFromSHA's SHA-1, computed by node:crypto as the reference. */
function reference(startKey: Uint8Array, sessionKey: Uint8Array, n: number): string {
  return createHash('sha1')
    .update(startKey.subarray(0, n))
    .update(new Uint8Array(40))
    .update(sessionKey.subarray(0, n))
    .update(new Uint8Array(40).fill(0xf2))
    .digest('hex');
}

describe('WasmGetNewKeyHasher', () => {
  it('moduleValidates', () => {
    expect(WebAssembly.validate(SHA1_WASM_BYTES)).toBe(true);
    expect(wasmSha1Available()).toBe(true);
  });

  for (const n of [8, 16] as const) {
    it(`matchesNodeCryptoAndTheTsHasher_forChainedKeys_keyLength${n}`, () => {
      let seed = n;
      const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
      const start = Uint8Array.from({ length: 16 }, next);
      const wasm = new WasmGetNewKeyHasher(start, n);
      const ts = new GetNewKeyHasher(start, n);
      let session = Uint8Array.from({ length: 16 }, next);
      const a = new Uint8Array(20);
      const b = new Uint8Array(20);
      for (let round = 0; round < 50; round++) {
        wasm.hash(session, a);
        ts.hash(session, b);
        expect(toHex(a)).toBe(reference(start, session, n));
        expect(toHex(b)).toBe(toHex(a));
        session = a.slice(0, 16);
      }
    });
  }
});
