/**
 * The client's own refusals of the server's proposals, and the Failure each one explains.
 *
 * A negotiation that cannot agree often ends on the server's side: accel-ppp sends a
 * Call-Disconnect-Notify when the authentication methods do not overlap, pppd an LCP
 * Terminate-Request when we refuse its CCP, mpd5 keeps Nak-ing stateful MPPE, RRAS sends an
 * EAP Failure after our Legacy Nak of PEAP. In every case the client refused first and knows
 * the real cause. The layer that refuses records a Refusal (what the server wanted and what the
 * profile allows); whatever then ends the negotiation reports this Failure instead of a bare
 * "the server hung up" or a timeout. `detail.refusal` (preload/vocabulary.ts
 * NEGOTIATION_REFUSALS) lets the doctor's advice say how to allow what the server wants.
 *
 * Pure: builds values, decides nothing about when a refusal is the cause (layer-sequencer.ts).
 */
import { AUTH_METHOD_LABELS, type AuthMethod, type MppeKeyBits } from '../../../preload/vocabulary';
import type { Failure } from '../failure';
import { describeEapType } from './auth/eap-packet';

export type Refusal =
  /** RFC 1661 §6.2: the server's Authentication-Protocol is not one the profile allows. */
  | {
      readonly kind: 'auth-method';
      /** What the server asked for, in words ("PAP", "SPAP (Shiva PAP), ..."). */
      readonly serverOffer: string;
      /** The method, when it is one this client knows. */
      readonly serverMethod?: AuthMethod;
      readonly allowed: readonly AuthMethod[];
    }
  /** RFC 3748 §5.3.1: we sent a Legacy Nak for these EAP types. */
  | { readonly kind: 'eap-type'; readonly eapTypes: readonly number[]; readonly allowed: readonly string[] }
  /** The profile has MPPE off and we Protocol-Rejected the server's CCP, which offered MPPE. */
  | { readonly kind: 'mppe-off' }
  /** RFC 3078 §2: the server's offer lacks the H (stateless) bit; the profile allows stateless only. */
  | { readonly kind: 'mppe-stateful'; readonly bits: readonly MppeKeyBits[] }
  /** RFC 3078 §2: none of the key lengths the server offers is one the profile allows. */
  | { readonly kind: 'mppe-key-length'; readonly offered: readonly MppeKeyBits[]; readonly allowed: readonly MppeKeyBits[] };

function lengths(bits: readonly MppeKeyBits[]): string {
  return bits.length ? bits.map((b) => `${b}-bit`).join(' or ') : 'no key length';
}

function labels(methods: readonly AuthMethod[]): string {
  return methods.length ? methods.map((m) => AUTH_METHOD_LABELS[m]).join(', ') : 'none';
}

/** The Failure a refusal explains; `serverSaid` is the server's own words, if it gave any. */
export function refusalFailure(r: Refusal, serverSaid?: string): Failure {
  const said = serverSaid ? ` (server said: "${serverSaid}")` : '';
  switch (r.kind) {
    case 'auth-method':
      return {
        reason: 'auth-method-refused',
        message: `The server requires ${r.serverOffer}, which this profile does not allow (allowed: ${labels(r.allowed)}).${said}`,
        detail: {
          layer: 'LCP',
          refusal: r.kind,
          serverOffer: r.serverMethod ? AUTH_METHOD_LABELS[r.serverMethod] : r.serverOffer,
          ...(r.serverMethod ? { serverMethod: r.serverMethod } : {}),
          allowed: labels(r.allowed),
          allowedMethods: r.allowed.join(','),
        },
      };
    case 'eap-type': {
      const asked = r.eapTypes.map(describeEapType).join(' and ');
      const does = r.allowed.length ? r.allowed.join(' and ') : 'no EAP method';
      return {
        reason: 'auth-method-refused',
        message: `The server asked for ${asked}, which this client does not do (it does ${does}); we answered with an EAP Nak.${said}`,
        detail: { layer: 'Authentication', refusal: r.kind, serverOffer: asked, eapType: r.eapTypes.at(-1) ?? 0, allowed: does },
      };
    }
    case 'mppe-off':
      return {
        reason: 'encryption-refused',
        message: `The server requires MPPE encryption, and this profile turns encryption off (MPPE: none), so we refused its CCP.${said}`,
        detail: { layer: 'CCP', refusal: r.kind, serverOffer: 'MPPE', allowed: 'none' },
      };
    case 'mppe-stateful':
      return {
        reason: 'encryption-refused',
        message: `The server offers only stateful MPPE (${lengths(r.bits)}, without the stateless bit), and this profile allows stateless MPPE only.${said}`,
        detail: { layer: 'CCP', refusal: r.kind, serverOffer: `${lengths(r.bits)} stateful`, allowed: 'stateless' },
      };
    case 'mppe-key-length':
      return {
        reason: 'encryption-refused',
        message: `The server offers MPPE with ${lengths(r.offered)} keys only; this profile requires ${lengths(r.allowed)} encryption.${said}`,
        detail: { layer: 'CCP', refusal: r.kind, serverOffer: lengths(r.offered), offeredBits: r.offered.join(','), allowed: lengths(r.allowed) },
      };
  }
}
