/**
 * The MS-CHAPv2 computations the client needs, shared by plain MS-CHAPv2 (RFC 2759) and
 * EAP-MS-CHAPv2 (the same packet contents inside EAP type 26): building the 49-octet Response
 * Value, and checking the server's Success message, whose "S=" authenticator response proves the
 * server knows the password (RFC 2759 §5, §8.7). The crypto itself comes from crypto/mschap.ts;
 * this module only arranges fields and compares. It must never log, return or embed the
 * password.
 */
import { mschapv2AuthenticatorResponse, mschapv2NtResponse } from '../../crypto/mschap';
import { mppeStartKeysFromMschapv2 } from '../../crypto/mppe-keys';
import { ByteWriter, fromHex, copyBytes } from '../../wire/bytes';
import type { Credentials, MppeStartKeys } from './auth-client';
import type { RandomSource } from '../../random';
import { fullUserName } from './auth-text';

/** RFC 2759 §3: the authenticator's challenge is 16 octets. */
export const MSCHAPV2_CHALLENGE_LENGTH = 16;
/** RFC 2759 §4: Response Value = Peer-Challenge (16) | Reserved (8, zero) | NT-Response (24) | Flags (1, zero). */
export const MSCHAPV2_RESPONSE_LENGTH = 49;
export const MSCHAPV2_PEER_CHALLENGE_LENGTH = 16;
export const MSCHAPV2_NT_RESPONSE_LENGTH = 24;
/** RFC 2759 §5: "S=" followed by 40 hexadecimal digits. */
export const MSCHAPV2_AUTHENTICATOR_HEX_LENGTH = 40;

export interface Mschapv2Answer {
  /** The 49-octet Response Value. */
  readonly value: Uint8Array;
  /** The Name field: DOMAIN\\user when a domain is set (RFC 2759 §4). */
  readonly name: string;
  readonly peerChallenge: Uint8Array;
  readonly ntResponse: Uint8Array;
  readonly authChallenge: Uint8Array;
  /** The user name the hashes use: the name without any domain (RFC 2759 §8.2). */
  readonly hashName: string;
}

/** RFC 2759 §8.2: "excluding any prepended domain name" — the part after the last backslash. */
export function userNameWithoutDomain(name: string): string {
  const i = name.lastIndexOf('\\');
  return i < 0 ? name : name.slice(i + 1);
}

/** Builds the Response to an authenticator challenge, drawing a fresh peer challenge. */
export function mschapv2Answer(authChallenge: Uint8Array, credentials: Credentials, random: RandomSource): Mschapv2Answer {
  const name = fullUserName(credentials.username, credentials.domain);
  const hashName = userNameWithoutDomain(name);
  const peerChallenge = copyBytes(random(MSCHAPV2_PEER_CHALLENGE_LENGTH).subarray(0, MSCHAPV2_PEER_CHALLENGE_LENGTH));
  const ntResponse = mschapv2NtResponse(authChallenge, peerChallenge, hashName, credentials.password);
  const value = new ByteWriter(MSCHAPV2_RESPONSE_LENGTH)
    .bytesFrom(peerChallenge) // RFC 2759 §4: Peer-Challenge
    .zeros(8) // Reserved, zero
    .bytesFrom(ntResponse) // NT-Response
    .u8(0) // Flags, zero
    .finish();
  return { value, name, peerChallenge, ntResponse, authChallenge: copyBytes(authChallenge), hashName };
}

export type SuccessCheck =
  | { readonly ok: true; readonly message?: string; readonly mppeKeys: MppeStartKeys }
  | { readonly ok: false; readonly why: 'missing' | 'mismatch' };

const decoder = new TextDecoder('utf-8', { fatal: false });
const AUTH_STRING = /(?:^|\s)S=([0-9A-Fa-f]{40})(?![0-9A-Fa-f])/;
// M= after a space, or straight after the 40 hex digits: Windows Server 2019 sends
// "S=<40 hex>M=<text>" (ppp-project/ppp pull 156).
const MESSAGE = /(?:^|\s|(?<=S=[0-9A-Fa-f]{40}))M=([\s\S]*)$/;

/**
 * Checks a Success message "S=<40 hex> M=<msg>" against the authenticator response we expect
 * (RFC 2759 §8.7), comparing in constant time; on a match derives the MPPE start keys
 * (RFC 3079 §3), which are never produced for an unverified server.
 */
export function checkMschapv2Success(message: Uint8Array, answer: Mschapv2Answer, password: string): SuccessCheck {
  const text = decoder.decode(message);
  const got = AUTH_STRING.exec(text);
  if (got === null) return { ok: false, why: 'missing' };
  const expected = mschapv2AuthenticatorResponse(
    password,
    answer.ntResponse,
    answer.peerChallenge,
    answer.authChallenge,
    answer.hashName,
  );
  const expectedBytes = fromHex(expected.replace(/^S=/, ''));
  if (!constantTimeEqual(fromHex(got[1]!), expectedBytes)) return { ok: false, why: 'mismatch' };
  const m = MESSAGE.exec(text);
  const mppeKeys = mppeStartKeysFromMschapv2(password, answer.ntResponse);
  return m !== null ? { ok: true, message: m[1]!, mppeKeys } : { ok: true, mppeKeys };
}

/** Compares two byte strings without an early exit on the first difference. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The user-facing words for a server that could not prove it knows the password. */
export function serverNotAuthenticatedMessage(label: string, why: 'missing' | 'mismatch'): string {
  return why === 'missing'
    ? `${label}: the server failed to authenticate itself: its Success carried no authenticator response, so it cannot prove it knows the password`
    : `${label}: the server failed to authenticate itself: its authenticator response is wrong, so it does not know the password (possible impostor)`;
}
