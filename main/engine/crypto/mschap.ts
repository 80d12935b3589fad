/**
 * The MS-CHAP computations: MS-CHAPv1 (RFC 2433) and MS-CHAPv2 (RFC 2759 §8), checked against
 * the RFC 2759 §9 vectors. Pure functions of their inputs; the auth state machines in
 * main/engine/ppp/auth call them.
 *
 * Owns: NtPasswordHash, HashNtPasswordHash, ChallengeHash, ChallengeResponse,
 * GenerateNTResponse, GenerateAuthenticatorResponse. Must not: hold or log passwords, or decide
 * protocol policy (which method, what to do on failure).
 *
 * Text encodings: passwords are hashed as UTF-16LE code units (RFC 2759 §8.3 "Unicode");
 * user names are hashed as their UTF-8 octets, which is plain ASCII for the ASCII names
 * RFC 2759 §4 expects (the same octets the Response packet's Name field carries).
 */
import { desEncryptBlock } from './des';
import { sha1 } from './hash';
import { md4 } from './md4';

// RFC 2759 §8.7 GenerateAuthenticatorResponse: the two magic constants.
const AUTH_MAGIC1 = asciiBytes('Magic server to client signing constant');
const AUTH_MAGIC2 = asciiBytes('Pad to make it do more than one iteration');

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

const utf8 = new TextEncoder();

/** The password as RFC 2759 hashes it: UTF-16 code units, little-endian ("Unicode"). */
export function passwordToUtf16le(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >>> 8;
  }
  return out;
}

/**
 * RFC 2759 §8.2: "Only the user name (as presented by the peer and excluding any prepended domain
 * name)" is hashed. Strips a `DOMAIN\` prefix (everything up to the last backslash).
 */
export function stripDomain(username: string): string {
  const slash = username.lastIndexOf('\\');
  return slash < 0 ? username : username.slice(slash + 1);
}

function usernameBytes(username: string): Uint8Array {
  return utf8.encode(stripDomain(username));
}

function check(value: Uint8Array, length: number, name: string): void {
  if (value.length !== length) throw new RangeError(`${name} must be ${length} octets (got ${value.length})`);
}

/** RFC 2759 §8.3 NtPasswordHash: MD4 of the UTF-16LE password (16 octets). */
export function ntPasswordHash(password: string): Uint8Array {
  return md4(passwordToUtf16le(password));
}

/**
 * RFC 2759 §8.4 HashNtPasswordHash: MD4 of the 16-octet password hash. Given a string, the
 * password is hashed first (so `ntPasswordHashHash(pw) === md4(ntPasswordHash(pw))`).
 */
export function ntPasswordHashHash(passwordHashOrPassword: Uint8Array | string): Uint8Array {
  const passwordHash =
    typeof passwordHashOrPassword === 'string' ? ntPasswordHash(passwordHashOrPassword) : passwordHashOrPassword;
  check(passwordHash, 16, 'PasswordHash');
  return md4(passwordHash);
}

/**
 * RFC 2759 §8.5 ChallengeResponse (= RFC 2433 DesEncrypt x3): the 16-octet hash zero-padded to
 * 21 octets, split into three 7-octet DES keys, each encrypting the 8-octet challenge (24 octets).
 */
export function challengeResponse(challenge8: Uint8Array, passwordHash16: Uint8Array): Uint8Array {
  check(challenge8, 8, 'Challenge');
  check(passwordHash16, 16, 'PasswordHash');
  const zPasswordHash = new Uint8Array(21);
  zPasswordHash.set(passwordHash16);
  const out = new Uint8Array(24);
  for (let k = 0; k < 3; k++) {
    out.set(desEncryptBlock(zPasswordHash.subarray(k * 7, k * 7 + 7), challenge8), k * 8);
  }
  return out;
}

/** RFC 2433 §A.5 NtChallengeResponse: MS-CHAPv1's NT-Response (24 octets). */
export function mschapv1NtResponse(challenge8: Uint8Array, password: string): Uint8Array {
  return challengeResponse(challenge8, ntPasswordHash(password));
}

/**
 * RFC 2759 §8.2 ChallengeHash: first 8 octets of SHA1(PeerChallenge, AuthenticatorChallenge,
 * UserName). A `DOMAIN\` prefix on `username` is stripped as §8.2 requires.
 */
export function mschapv2ChallengeHash(
  peerChallenge16: Uint8Array,
  authenticatorChallenge16: Uint8Array,
  username: string,
): Uint8Array {
  check(peerChallenge16, 16, 'PeerChallenge');
  check(authenticatorChallenge16, 16, 'AuthenticatorChallenge');
  return sha1(peerChallenge16, authenticatorChallenge16, usernameBytes(username)).slice(0, 8);
}

/** RFC 2759 §8.1 GenerateNTResponse (24 octets). */
export function mschapv2NtResponse(
  authenticatorChallenge16: Uint8Array,
  peerChallenge16: Uint8Array,
  username: string,
  password: string,
): Uint8Array {
  const challenge = mschapv2ChallengeHash(peerChallenge16, authenticatorChallenge16, username);
  return challengeResponse(challenge, ntPasswordHash(password));
}

/**
 * RFC 2759 §8.7 GenerateAuthenticatorResponse: the 42-character "S=" followed by 40 uppercase hex
 * digits the server must send in its Success packet (the client compares it to prove the server
 * knows the password).
 */
export function mschapv2AuthenticatorResponse(
  password: string,
  ntResponse24: Uint8Array,
  peerChallenge16: Uint8Array,
  authenticatorChallenge16: Uint8Array,
  username: string,
): string {
  check(ntResponse24, 24, 'NT-Response');
  const passwordHashHash = ntPasswordHashHash(ntPasswordHash(password));
  const digest = sha1(passwordHashHash, ntResponse24, AUTH_MAGIC1);
  const challenge = mschapv2ChallengeHash(peerChallenge16, authenticatorChallenge16, username);
  const final = sha1(digest, challenge, AUTH_MAGIC2);
  let hex = '';
  for (const b of final) hex += b.toString(16).padStart(2, '0');
  return `S=${hex.toUpperCase()}`;
}
