/**
 * The CCP MPPE option (type 18, RFC 3078 §2) and the profile policy that judges it.
 *
 * Supported Bits, 4 octets, most significant first (RFC 3078 §2; pppd ppp-comp.h):
 *   H 0x01000000  stateless ("historyless") mode: rekey every packet
 *   M 0x00000080  56-bit keys
 *   S 0x00000040  128-bit keys
 *   L 0x00000020  40-bit keys
 *   D 0x00000010  obsolete (was 56-bit), never set by us
 *   C 0x00000001  MPPC compression: never accepted (we only encrypt)
 *
 * Negotiation (pppd's ccp.c behaviour): each side's request names what it offers; the answer
 * narrows it to exactly one key length and one mode. We request the strongest length the
 * profile allows, stateless. We answer an offer by Ack when it already is exactly one length we
 * allow in a mode we allow, else by a Nak naming that one length and mode.
 *
 * The requirement values and key lengths are the shared vocabulary's (preload/vocabulary.ts:
 * MppeRequirement, MppeKeyBits), the same words a profile and the service's connect options use,
 * so no layer translates them.
 */
import { MPPE_KEY_BITS, type MppeKeyBits, type MppeRequirement } from '../../../../preload/vocabulary';
import type { MppeParams } from '../mppe-contract';
import type { PppOption } from '../packet';
import { CODE_CONFIGURE_REQUEST, decodeControlPacket, decodeOptions, optionU32, optionValueU32 } from '../packet';
import type { Refusal } from '../refusal';

export const CCP_OPT_MPPE = 18; // RFC 3078 §2 (shared with MPPC, RFC 2118)

export const MPPE_BIT_H = 0x01000000; // RFC 3078 §2: stateless
export const MPPE_BIT_M = 0x00000080; // RFC 3078 §2: 56-bit
export const MPPE_BIT_S = 0x00000040; // RFC 3078 §2: 128-bit
export const MPPE_BIT_L = 0x00000020; // RFC 3078 §2: 40-bit
export const MPPE_BIT_D = 0x00000010; // RFC 3078 §2: obsolete
export const MPPE_BIT_C = 0x00000001; // RFC 2118 / RFC 3078 §2: MPPC compression

/** Strongest first. */
const LENGTHS: readonly { bits: MppeKeyBits; bit: number }[] = [
  { bits: 128, bit: MPPE_BIT_S },
  { bits: 56, bit: MPPE_BIT_M },
  { bits: 40, bit: MPPE_BIT_L },
];

/** The encryption policy CCP judges offers by (DESIGN §2: require-128 by default). */
export interface MppePolicy {
  /** What the profile asks of encryption: 'require-128', 'require-any', 'optional' or 'none'. */
  readonly mppe: MppeRequirement;
  /** Accept stateful mode when the server insists (we always ask for stateless). */
  readonly allowStateful: boolean;
  /** Restrict the key lengths ('require-any' and 'optional'; default all three). */
  readonly allowedBits?: readonly MppeKeyBits[];
}

export const DEFAULT_MPPE_POLICY: MppePolicy = { mppe: 'require-128', allowStateful: false };

export function isMppeRequired(policy: MppePolicy): boolean {
  return policy.mppe === 'require-any' || policy.mppe === 'require-128';
}

export function allowedLengths(policy: MppePolicy): MppeKeyBits[] {
  if (policy.mppe === 'none') return [];
  if (policy.mppe === 'require-128') return [128];
  const allowed: readonly MppeKeyBits[] = policy.allowedBits ?? MPPE_KEY_BITS;
  return LENGTHS.map((l) => l.bits).filter((b) => allowed.includes(b));
}

export function mppeBitsFor(params: MppeParams): number {
  const length = LENGTHS.find((l) => l.bits === params.bits)!.bit;
  return length | (params.stateful ? 0 : MPPE_BIT_H);
}

/**
 * Our first MPPE request: every key length the policy allows, stateless (RFC 3078 §2: the
 * Supported Bits name what the sender can do; the peer Naks down to the one it wants). Asking
 * for the strongest only would leave a 40-bit-only pppd nothing to agree to: it hangs up.
 */
export function mppeRequestBits(policy: MppePolicy): number {
  let bits = MPPE_BIT_H;
  for (const l of LENGTHS) if (allowedLengths(policy).includes(l.bits)) bits |= l.bit;
  return bits;
}

export function mppeOption(params: MppeParams): PppOption {
  return optionU32(CCP_OPT_MPPE, mppeBitsFor(params));
}

export function offeredLengths(supported: number): MppeKeyBits[] {
  return LENGTHS.filter((l) => (supported & l.bit) !== 0).map((l) => l.bits);
}

export function describeMppeBits(supported: number): string {
  const lengths = offeredLengths(supported);
  const parts = lengths.length ? lengths.map((b) => `${b}-bit`) : ['no key length'];
  if (supported & MPPE_BIT_H) parts.push('stateless');
  if (supported & MPPE_BIT_C) parts.push('MPPC compression');
  return parts.join(', ');
}

export type MppeChoice =
  | { readonly kind: 'exact'; readonly params: MppeParams } // the offer is exactly this: Ack
  /**
   * Answer with this single choice. `refused` is set when the answer drops the only mode the
   * server offered (stateful): if the server insists, that is why CCP cannot agree.
   */
  | { readonly kind: 'narrow'; readonly params: MppeParams; readonly refused?: Refusal }
  /** Nothing we allow; `refused` says what the server offered and what we allow (absent: malformed). */
  | { readonly kind: 'unacceptable'; readonly message: string; readonly refused?: Refusal };

/**
 * Judges a Supported Bits value (an offer in a request, or a Nak's counter-offer) against the
 * policy. `prefer` steers towards parameters already agreed in the other direction.
 */
export function chooseMppe(supported: number | undefined, policy: MppePolicy, prefer?: MppeParams): MppeChoice {
  const allowed = allowedLengths(policy);
  const allowedText = allowed.map((b) => `${b}-bit`).join(' or ') || 'none';
  if (supported === undefined) return { kind: 'unacceptable', message: 'The server sent a malformed MPPE option.' };
  const usable = offeredLengths(supported).filter((b) => allowed.includes(b));
  if (usable.length === 0) {
    return {
      kind: 'unacceptable',
      message: `The server offers MPPE ${describeMppeBits(supported)}; this profile requires ${allowedText} encryption.`,
      refused: { kind: 'mppe-key-length', offered: offeredLengths(supported), allowed },
    };
  }
  const bits = prefer && usable.includes(prefer.bits) ? prefer.bits : usable[0]!;
  const serverStateless = (supported & MPPE_BIT_H) !== 0;
  let stateful: boolean;
  if (prefer && (prefer.stateful ? policy.allowStateful : true)) stateful = prefer.stateful;
  else stateful = serverStateless ? false : policy.allowStateful;
  const params: MppeParams = { bits, stateful };
  if (supported === mppeBitsFor(params)) return { kind: 'exact', params };
  // RFC 3078 §2: no H bit means the server offers stateful mode only, which the profile refuses.
  if (!serverStateless && !stateful) return { kind: 'narrow', params, refused: { kind: 'mppe-stateful', bits: usable } };
  return { kind: 'narrow', params };
}

export function readMppeBits(option: PppOption): number | undefined {
  return optionValueU32(option);
}

/**
 * True when a CCP packet (its information field) is a Configure-Request whose MPPE option names
 * a key length: the server wants encryption (not merely compression, RFC 1962).
 */
export function ccpRequestOffersMppe(info: Uint8Array): boolean {
  const packet = decodeControlPacket(info);
  if (!packet.ok || packet.value.code !== CODE_CONFIGURE_REQUEST) return false;
  const options = decodeOptions(packet.value.data);
  if (!options.ok) return false;
  return options.value.some((o) => {
    const bits = o.type === CCP_OPT_MPPE ? optionValueU32(o) : undefined;
    return bits !== undefined && offeredLengths(bits).length > 0;
  });
}
