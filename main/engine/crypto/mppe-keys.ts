/**
 * MPPE key derivation (RFC 3079) and the per-direction key schedule the MPPE data path runs
 * (RFC 3078 §7.3, as Linux's ppp_mppe implements it).
 *
 * Owns: start keys from MS-CHAPv2 (RFC 3079 §3.3-3.4) and MS-CHAPv1 (as pppd derives them),
 * GetNewKeyFromSHA (RFC 3079 §7), the initial session key, rekeying and the 40/56-bit reduction,
 * and `MppeKeySchedule`, the allocation-free session-key + RC4 state of one direction.
 * Must not: parse packets or track coherency counts (main/engine/ppp/mppe.ts does).
 *
 * Facts this module encodes (see also /work/shared/notes/rfc-vectors.md):
 * - GetMasterKey takes the 24-octet NT-Response, not the PeerChallenge (RFC 3079 §3.4).
 * - The client's send key uses the 2nd magic constant, its receive key the 3rd (RFC 3079 §3.4:
 *   "On the client side, this is the send key"); the key RFC 3079 §3.5 prints is the receive key.
 * - 40- and 56-bit keys are derived with an 8-octet key length, 128-bit with 16 (RFC 3079 §3.4);
 *   the start keys returned here are always 16 octets and the schedule uses the prefix it needs.
 * - The initial session key is GetNewKeyFromSHA(StartKey, StartKey) with no RC4 pass; each later
 *   rekey RC4-encrypts the new key under itself (RFC 3078 §7.3; Linux ppp_mppe mppe_rekey).
 * - 40-bit keys then get D1 26 9E as their first three octets, 56-bit keys D1 as the first
 *   (RFC 3078 §7.3 / RFC 3079 §3.x "reduce the effective key length").
 */
import type { MppeKeyBits } from '../../../preload/vocabulary';
import { Rc4 } from './rc4';
import type { Rc4Cipher } from './rc4';
import { WasmRc4, wasmRc4Available } from './rc4-wasm';
import { SHA1_INITIAL_HASH, sha1Compress } from './sha1';
import { sha1 } from './hash';
import { ntPasswordHash, ntPasswordHashHash } from './mschap';
import { copyBytes } from '../wire/bytes';
import { SHS_PAD1_OCTET, SHS_PAD2_OCTET, SHS_PAD_LENGTH, mppeMessageWords, writeSessionWords } from './get-new-key-input';
import { WasmGetNewKeyHasher, wasmSha1Available } from './sha1-wasm';

export interface MppeStartKeys {
  /** Client-to-server start key (16 octets). */
  readonly send: Uint8Array;
  /** Server-to-client start key (16 octets). */
  readonly receive: Uint8Array;
}

const START_KEY_LENGTH = 16;

// RFC 3079 §3.4 GetMasterKey: Magic1 (27 octets).
const MASTER_KEY_MAGIC = ascii('This is the MPPE Master Key');
// RFC 3079 §3.4 GetAsymmetricStartKey: Magic2 and Magic3 (84 octets each).
const MAGIC_CLIENT_SEND = ascii(
  'On the client side, this is the send key; on the server side, it is the receive key.',
);
const MAGIC_CLIENT_RECEIVE = ascii(
  'On the client side, this is the receive key; on the server side, it is the send key.',
);
const SHS_PAD1 = new Uint8Array(SHS_PAD_LENGTH).fill(SHS_PAD1_OCTET);
const SHS_PAD2 = new Uint8Array(SHS_PAD_LENGTH).fill(SHS_PAD2_OCTET);
// RFC 3078 §7.3 / RFC 3079 §3.1-3.2: the fixed high octets of reduced-strength session keys.
const SALT_40_BIT = [0xd1, 0x26, 0x9e] as const;
const SALT_56_BIT = [0xd1] as const;
const NO_SALT = [] as const;

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function check(value: Uint8Array, length: number, name: string): void {
  if (value.length !== length) throw new RangeError(`${name} must be ${length} octets (got ${value.length})`);
}

/** RFC 3079 §3.4: the session-key length in octets for a key strength (8 for 40/56, 16 for 128). */
export function mppeKeyLength(bits: MppeKeyBits): 8 | 16 {
  return bits === 128 ? 16 : 8;
}

/** RFC 3079 §3.4 GetMasterKey: SHA1(PasswordHashHash, NT-Response, Magic1), first 16 octets. */
export function getMasterKey(passwordHashHash16: Uint8Array, ntResponse24: Uint8Array): Uint8Array {
  check(passwordHashHash16, 16, 'PasswordHashHash');
  check(ntResponse24, 24, 'NT-Response');
  return sha1(passwordHashHash16, ntResponse24, MASTER_KEY_MAGIC).slice(0, 16);
}

/**
 * RFC 3079 §3.4 GetAsymmetricStartKey: SHA1(MasterKey, SHSpad1, Magic, SHSpad2) truncated to
 * `keyLength`. The magic is chosen by direction and side: client send = server receive = Magic2.
 */
export function getAsymmetricStartKey(
  masterKey16: Uint8Array,
  keyLength: number,
  isSend: boolean,
  isServer: boolean,
): Uint8Array {
  check(masterKey16, 16, 'MasterKey');
  if (keyLength < 1 || keyLength > 16) throw new RangeError('start key length must be 1..16 octets');
  const magic = isSend === isServer ? MAGIC_CLIENT_RECEIVE : MAGIC_CLIENT_SEND;
  return sha1(masterKey16, SHS_PAD1, magic, SHS_PAD2).slice(0, keyLength);
}

/**
 * RFC 3079 §3.3-3.4: the client's MPPE start keys after MS-CHAPv2, from the password and the
 * NT-Response the client sent. 16 octets each; 40/56-bit sessions use the first 8.
 */
export function mppeStartKeysFromMschapv2(password: string, ntResponse24: Uint8Array): MppeStartKeys {
  const masterKey = getMasterKey(ntPasswordHashHash(ntPasswordHash(password)), ntResponse24);
  return {
    send: getAsymmetricStartKey(masterKey, START_KEY_LENGTH, true, false),
    receive: getAsymmetricStartKey(masterKey, START_KEY_LENGTH, false, false),
  };
}

/**
 * MPPE start keys after MS-CHAPv1, the way Linux pppd derives them (pppd/chap_ms.c
 * `Set_Start_Key` -> `mppe_set_keys`, ppp-project/ppp): SHA1(PasswordHashHash, PasswordHashHash,
 * Challenge), first 16 octets, the SAME key in both directions. `challenge8` is the
 * authenticator's 8-octet challenge. This matches RFC 3079 §2.4-2.5 (GetStartKey for 128-bit
 * keys from the NT password hash); pppd also uses it, truncated to 8 octets, for 40/56-bit
 * sessions instead of RFC 3079 §2.1's LAN Manager hash, as Linux peers (pptpd) expect.
 */
export function mppeStartKeysFromMschapv1(password: string, challenge8: Uint8Array): MppeStartKeys {
  check(challenge8, 8, 'Challenge');
  const passwordHashHash = ntPasswordHashHash(ntPasswordHash(password));
  const digest = sha1(passwordHashHash, passwordHashHash, challenge8).slice(0, START_KEY_LENGTH);
  return { send: digest, receive: copyBytes(digest) };
}

/**
 * RFC 3079 §7 GetNewKeyFromSHA: SHA1(StartKey[0..len], SHSpad1, SessionKey[0..len], SHSpad2),
 * truncated to `keyLength` octets.
 */
export function getNewKeyFromSha(startKey: Uint8Array, sessionKey: Uint8Array, keyLength: number): Uint8Array {
  if (keyLength < 1 || keyLength > 20 || startKey.length < keyLength || sessionKey.length < keyLength) {
    throw new RangeError('GetNewKeyFromSHA needs keys at least keyLength (1..20) octets long');
  }
  return sha1(startKey.subarray(0, keyLength), SHS_PAD1, sessionKey.subarray(0, keyLength), SHS_PAD2).slice(
    0,
    keyLength,
  );
}

/**
 * RFC 3078 §7.3: reduces an 8-octet key to 40 bits (first three octets D1 26 9E) or 56 bits
 * (first octet D1), in place. 128-bit keys are left alone. Returns `key`.
 */
export function reduceSessionKey(key: Uint8Array, bits: MppeKeyBits): Uint8Array {
  const salt: readonly number[] = bits === 40 ? SALT_40_BIT : bits === 56 ? SALT_56_BIT : NO_SALT; // no array per rekey
  for (let i = 0; i < salt.length; i++) key[i] = salt[i]!;
  return key;
}

/** The initial session key: GetNewKeyFromSHA(StartKey, StartKey), no RC4 pass, then reduced. */
export function initialSessionKey(startKey: Uint8Array, bits: MppeKeyBits): Uint8Array {
  const keyLength = mppeKeyLength(bits);
  return reduceSessionKey(getNewKeyFromSha(startKey, startKey, keyLength), bits);
}

/**
 * RFC 3078 §7.3 rekey: InterimKey = GetNewKeyFromSHA(StartKey, SessionKey); the new session key
 * is RC4(InterimKey) applied to InterimKey, then reduced.
 */
export function nextSessionKey(startKey: Uint8Array, sessionKey: Uint8Array, bits: MppeKeyBits): Uint8Array {
  const keyLength = mppeKeyLength(bits);
  const interim = getNewKeyFromSha(startKey, sessionKey, keyLength);
  return reduceSessionKey(new Rc4(interim).process(interim), bits);
}

/**
 * GetNewKeyFromSHA (RFC 3079 §7) for one start key, allocation-free. The SHA-1 input is fixed in
 * shape: StartKey ‖ SHSpad1 ‖ SessionKey ‖ SHSpad2 is 80 + 2n octets (96 or 112), so with
 * FIPS 180-4 padding it is always exactly two blocks, and only the n session-key octets change
 * between calls (at octet n + 40: word-aligned). The two padded blocks live here as 32
 * big-endian words, built once; `hash` writes the session words and runs two compressions.
 * Measured in bench/mppe.bench.ts ("GetNewKeyFromSHA" group) against the streaming Sha1 class
 * (the previous rekey) and node:crypto's createHash: the fastest of the three, and it allocates
 * nothing (createHash allocates a hash object and a digest Buffer per call). The data path runs
 * the same two blocks in WebAssembly where it can (sha1-wasm.ts, `dataPathHasher` below); this
 * one is the fallback and the reference the tests hold that one to.
 */
export class GetNewKeyHasher {
  readonly keyLength: number;
  private readonly message = new Int32Array(32);
  private readonly sessionWord: number;
  private readonly hashState = new Int32Array(5);
  private readonly schedule = new Int32Array(80);

  /** `keyLength`: 8 (40/56-bit) or 16 (128-bit), RFC 3079 §3.4. */
  constructor(startKey: Uint8Array, keyLength: 8 | 16) {
    this.keyLength = keyLength;
    const { words, sessionWord } = mppeMessageWords(startKey, keyLength);
    this.message.set(words);
    this.sessionWord = sessionWord;
  }

  /** SHA1(StartKey, SHSpad1, sessionKey[0..n], SHSpad2): the 20-octet digest into `out`. */
  hash(sessionKey: Uint8Array, out: Uint8Array): void {
    const m = this.message;
    writeSessionWords(m, this.sessionWord, sessionKey, this.keyLength);
    const h = this.hashState;
    const w = this.schedule;
    for (let k = 0; k < 5; k++) h[k] = SHA1_INITIAL_HASH[k]!;
    for (let k = 0; k < 16; k++) w[k] = m[k]!;
    sha1Compress(h, w);
    for (let k = 0; k < 16; k++) w[k] = m[16 + k]!;
    sha1Compress(h, w);
    for (let k = 0; k < 5; k++) {
      const v = h[k]!;
      out[k * 4] = v >>> 24;
      out[k * 4 + 1] = (v >>> 16) & 0xff;
      out[k * 4 + 2] = (v >>> 8) & 0xff;
      out[k * 4 + 3] = v & 0xff;
    }
  }
}

/** Makes an RC4 cipher keyed with `key[0..keyLength]`. */
export type Rc4Factory = (key: Uint8Array, keyLength: number) => Rc4Cipher;

/** The TypeScript RC4 (rc4.ts). */
export const typeScriptRc4: Rc4Factory = (key, keyLength) => new Rc4(key, keyLength);

/**
 * The RC4 the data path runs: the WebAssembly one (rc4-wasm.ts) where the runtime has
 * WebAssembly, else the TypeScript one. Measured side by side in one `npm run bench` run
 * (bench/rc4.bench.ts, bench/mppe.bench.ts): the WebAssembly keystream, copies included, runs
 * well ahead of the TypeScript loop (no bounds checks on the state table, a word load and store
 * per four octets), and the stateless rekey + packet with it; see the README's figures.
 */
export const dataPathRc4: Rc4Factory = wasmRc4Available() ? (key, keyLength) => new WasmRc4(key, keyLength) : typeScriptRc4;

/** What the schedule needs of a GetNewKeyFromSHA hasher: the digest of one session key into `out`. */
export interface NewKeyHasher {
  hash(sessionKey: Uint8Array, out: Uint8Array): void;
}

/** Makes the GetNewKeyFromSHA hasher for one start key. */
export type NewKeyHasherFactory = (startKey: Uint8Array, keyLength: 8 | 16) => NewKeyHasher;

/** The TypeScript fixed two-block SHA-1 (GetNewKeyHasher above). */
export const typeScriptHasher: NewKeyHasherFactory = (startKey, keyLength) => new GetNewKeyHasher(startKey, keyLength);

/**
 * The hasher the data path runs: the WebAssembly two-block SHA-1 (sha1-wasm.ts) where the runtime
 * has WebAssembly, else the TypeScript one. Measured side by side in one `npm run bench` run
 * ("GetNewKeyFromSHA" group): about 1.5x the TypeScript hasher (i32.rotl, no typed-array bounds
 * checks on the schedule), which itself beats node:crypto's createHash several times over.
 */
export const dataPathHasher: NewKeyHasherFactory = wasmSha1Available()
  ? (startKey, keyLength) => new WasmGetNewKeyHasher(startKey, keyLength)
  : typeScriptHasher;

/** The implementations a schedule runs (defaults: the data path's); for A/B benchmarks and tests. */
export interface MppeKeyScheduleOptions {
  readonly rc4?: Rc4Factory;
  readonly hasher?: NewKeyHasherFactory;
}

/**
 * One direction's MPPE key state: the start key, the current session key and the RC4 cipher keyed
 * with it. `rekey()` and `resetCipher()` allocate nothing (stateless MPPE rekeys every packet).
 */
export class MppeKeySchedule {
  readonly bits: MppeKeyBits;
  readonly keyLength: 8 | 16;
  /** The data cipher, keyed with the current session key. */
  readonly cipher: Rc4Cipher;
  private readonly session: Uint8Array;
  private readonly digest = new Uint8Array(20);
  private readonly interimCipher: Rc4Cipher;
  private readonly hasher: NewKeyHasher;

  constructor(startKey: Uint8Array, bits: MppeKeyBits, options: MppeKeyScheduleOptions = {}) {
    const rc4 = options.rc4 ?? dataPathRc4;
    this.bits = bits;
    this.keyLength = mppeKeyLength(bits);
    const n = this.keyLength;
    if (startKey.length < n) {
      throw new RangeError(`an MPPE-${bits} start key needs at least ${n} octets`);
    }
    this.hasher = (options.hasher ?? dataPathHasher)(startKey, n);
    this.session = new Uint8Array(n);
    // Initial session key: GetNewKeyFromSHA(StartKey, StartKey), no RC4 pass.
    this.hasher.hash(startKey, this.digest);
    this.session.set(this.digest.subarray(0, n));
    reduceSessionKey(this.session, bits);
    this.interimCipher = rc4(this.digest, n);
    this.cipher = rc4(this.session, n);
  }

  /** A copy of the current session key (for tests and diagnostics). */
  get sessionKey(): Uint8Array {
    return copyBytes(this.session);
  }

  /** RFC 3078 §7.3: derives the next session key and re-keys the cipher. */
  rekey(): void {
    const n = this.keyLength;
    this.hasher.hash(this.session, this.digest);
    this.interimCipher.setKey(this.digest, n);
    this.interimCipher.crypt(this.digest, 0, n, this.session, 0);
    reduceSessionKey(this.session, this.bits);
    this.cipher.setKey(this.session, n);
  }

  /** Restarts the cipher's keystream under the current session key (no new key). */
  resetCipher(): void {
    this.cipher.setKey(this.session, this.keyLength);
  }
}
