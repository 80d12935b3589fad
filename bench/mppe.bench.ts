/**
 * MPPE-128 for 1400-octet packets: stateless mode rekeys every packet (GetNewKeyFromSHA = SHA-1
 * over 112 octets, then two RC4 key schedules, RFC 3078 §7.3), stateful mode only every 256.
 * Side by side: the per-packet rekey's SHA-1 four ways (the fixed two-block hasher in TypeScript
 * and in WebAssembly — the data path runs the latter —, the streaming Sha1 class the rekey used
 * before, node:crypto's createHash), the whole rekey with the data path's RC4 + SHA-1
 * (WebAssembly) vs the TypeScript ones vs the node:crypto-based reference composition, and
 * encrypt / decrypt in both modes. The in-place forms the data path runs (sealInPlace,
 * openInPlace) are measured with both implementation pairs. Caveat when reading the TS rows: they
 * share the schedule's call sites with the WebAssembly rows in this process (polymorphic), so
 * they read lower than the same code in a TS-only build; compare against a run of the previous
 * commit for the before figure.
 * Targets (issue 12): stateless encrypt and decrypt >= 150k packets/s each.
 */
import {
  GetNewKeyHasher,
  MppeKeySchedule,
  getNewKeyFromSha,
  nextSessionKey,
  typeScriptHasher,
  typeScriptRc4,
} from '../main/engine/crypto/mppe-keys';
import type { MppeKeyScheduleOptions } from '../main/engine/crypto/mppe-keys';
import { wasmRc4Available } from '../main/engine/crypto/rc4-wasm';
import { Sha1 } from '../main/engine/crypto/sha1';
import { WasmGetNewKeyHasher, wasmSha1Available } from '../main/engine/crypto/sha1-wasm';
import { MppeCipherDecryptor, MppeCipherEncryptor, createMppeDecryptor, createMppeEncryptor } from '../main/engine/ppp/mppe';
import { MPPE_FLAG_ENCRYPTED, MPPE_FLAG_FLUSHED, writeMppeHeader } from '../main/engine/ppp/mppe-header';
import type { MppeParams } from '../main/engine/ppp/mppe-contract';
import { registerBenchmark, registerUnavailable } from './harness';

const PACKET = 1400;
const startKey = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
const plain = new Uint8Array(PACKET).map((_, i) => (i * 7) & 0xff);
plain[0] = 0x00;
plain[1] = 0x21;

// ---- the rekey's SHA-1 ----------------------------------------------------------------------
const SHA = 'GetNewKeyFromSHA (RFC 3079 §7), 128-bit: SHA-1 of 112 octets';
const session = Uint8Array.from({ length: 16 }, (_, i) => (i * 13 + 5) & 0xff);
const digest = new Uint8Array(20);
const hasher = new GetNewKeyHasher(startKey, 16);
registerBenchmark({ group: SHA, name: 'fixed two-block SHA-1 in TS (GetNewKeyHasher)', run: () => hasher.hash(session, digest) });
if (wasmSha1Available()) {
  const wasmHasher = new WasmGetNewKeyHasher(startKey, 16);
  registerBenchmark({ group: SHA, name: 'fixed two-block SHA-1 in WebAssembly (data path)', run: () => wasmHasher.hash(session, digest) });
} else {
  registerUnavailable(SHA, 'fixed two-block SHA-1 in WebAssembly', 'WebAssembly is not available in this runtime');
}
const sha = new Sha1();
const pad1 = 0x00;
const pad2 = 0xf2;
registerBenchmark({
  group: SHA,
  name: 'streaming Sha1 class (previous rekey shape)',
  run: () => sha.reset().update(startKey, 0, 16).updateRepeated(pad1, 40).update(session, 0, 16).updateRepeated(pad2, 40).digestInto(digest),
});
registerBenchmark({ group: SHA, name: 'node:crypto createHash (hash.ts)', run: () => getNewKeyFromSha(startKey, session, 16) });

// ---- the whole rekey --------------------------------------------------------------------------
const REKEY = 'MPPE-128 rekey (RFC 3078 §7.3): SHA-1 + 2 RC4 key schedules';
// The data path's implementations (mppe-keys.ts dataPathRc4 / dataPathHasher) against the TS ones.
const DATA_PATH = wasmRc4Available() ? 'WASM RC4 + SHA-1' : 'TS (no WebAssembly here)';
const implementations: readonly (readonly [string, MppeKeyScheduleOptions])[] = [
  [DATA_PATH, {}],
  ['TS RC4 + SHA-1', { rc4: typeScriptRc4, hasher: typeScriptHasher }],
];
for (const [implementation, options] of [...implementations, ['TS RC4, WASM SHA-1', { rc4: typeScriptRc4 }] as const]) {
  const schedule = new MppeKeySchedule(startKey, 128, options);
  registerBenchmark({ group: REKEY, name: `MppeKeySchedule.rekey, ${implementation}`, run: () => schedule.rekey() });
}
const schedule = new MppeKeySchedule(startKey, 128);
let referenceKey = schedule.sessionKey;
registerBenchmark({
  group: REKEY,
  name: 'nextSessionKey (node:crypto SHA-1, new Rc4)',
  run: () => {
    referenceKey = nextSessionKey(startKey, referenceKey, 128);
  },
});

// ---- encrypt ----------------------------------------------------------------------------------
const ENCRYPT = 'MPPE-128 encrypt, 1400-octet packets';
for (const stateful of [false, true]) {
  const params: MppeParams = { bits: 128, stateful };
  const encryptor = createMppeEncryptor(startKey, params);
  registerBenchmark({
    group: ENCRYPT,
    name: stateful ? 'stateful (rekey every 256), encrypt()' : 'stateless (rekey every packet), encrypt()',
    bytesPerOp: PACKET,
    allocations: true,
    run: () => {
      encryptor.encrypt(plain);
    },
  });
}
for (const [implementation, options] of implementations) {
  // What the link's data path runs: the frame built in one buffer, encrypted where it lies.
  const sealer = new MppeCipherEncryptor(startKey, { bits: 128, stateful: false }, options);
  const frame = new Uint8Array(2 + PACKET);
  registerBenchmark({
    group: ENCRYPT,
    name: `stateless, sealInPlace, ${implementation}`,
    bytesPerOp: PACKET,
    allocations: true,
    run: () => {
      sealer.sealInPlace(frame, 0, PACKET);
    },
  });
}

// ---- decrypt ----------------------------------------------------------------------------------
for (const stateful of [false, true]) {
  const params: MppeParams = { bits: 128, stateful };
  // Pre-encrypt one full 4096-count cycle so the decryptor always sees in-order packets.
  const encryptor = createMppeEncryptor(startKey, params);
  const packets = Array.from({ length: 4096 }, () => encryptor.encrypt(plain));
  let decryptor = createMppeDecryptor(startKey, params);
  let next = 0;
  registerBenchmark({
    group: 'MPPE-128 decrypt, 1400-octet packets',
    name: stateful ? 'stateful (rekey every 256), decrypt()' : 'stateless (rekey every packet), decrypt()',
    bytesPerOp: PACKET,
    allocations: true,
    run: () => {
      if (next === packets.length) {
        decryptor = createMppeDecryptor(startKey, params);
        next = 0;
      }
      const r = decryptor.decrypt(packets[next++]!);
      if (!r.ok) throw new Error(`bench decrypt failed: ${r.error.code}`);
    },
  });
}

for (const [implementation, options] of implementations) {
  // What the link's data path runs: the received frame decrypted where it lies. The same buffer
  // each time with the next coherency count written into its header: the decryptor rekeys and
  // deciphers exactly as for a fresh packet (RC4 costs the same whatever the octets).
  const opener = new MppeCipherDecryptor(startKey, { bits: 128, stateful: false }, options);
  const frame = new Uint8Array(2 + PACKET);
  let count = 0;
  registerBenchmark({
    group: 'MPPE-128 decrypt, 1400-octet packets',
    name: `stateless, openInPlace, ${implementation}`,
    bytesPerOp: PACKET,
    allocations: true,
    run: () => {
      writeMppeHeader(frame, 0, MPPE_FLAG_FLUSHED | MPPE_FLAG_ENCRYPTED, count);
      count = (count + 1) & 0xfff;
      if (opener.openInPlace(frame, 0, frame.length) < 0) throw new Error(`bench open failed: ${opener.lastError?.code}`);
    },
  });
}
