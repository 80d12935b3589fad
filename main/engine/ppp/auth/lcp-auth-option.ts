/**
 * The LCP Authentication-Protocol option (RFC 1661 §6.2) in terms of our method names: what to
 * put in the option for a method, and which method a server's option asks for. LCP owns the
 * option's encoding and negotiation; this module owns only the numbers.
 *
 * Option data is the 2-octet protocol followed by protocol-specific data: nothing for PAP and
 * EAP, one algorithm octet for CHAP.
 */
import {
  CHAP_ALG_MD5,
  CHAP_ALG_MSCHAP,
  CHAP_ALG_MSCHAPV2,
  PPP_PROTO_CHAP,
  PPP_PROTO_EAP,
  PPP_PROTO_PAP,
  type AuthMethodName,
} from './auth-client';

/** Shiva PAP (IANA PPP protocol number 0xC027): recognised only so LCP can name it when refusing it. */
export const PPP_PROTO_SPAP = 0xc027;

export interface AuthOption {
  readonly protocol: number;
  /** The CHAP Algorithm octet; absent for PAP and EAP. */
  readonly algorithm?: number;
}

export function authOptionFor(method: AuthMethodName): AuthOption {
  switch (method) {
    case 'pap':
      return { protocol: PPP_PROTO_PAP }; // RFC 1334 §3: C023, no data
    case 'chap':
      return { protocol: PPP_PROTO_CHAP, algorithm: CHAP_ALG_MD5 }; // RFC 1994 §3: C223, algorithm 5 (MD5)
    case 'mschap':
      return { protocol: PPP_PROTO_CHAP, algorithm: CHAP_ALG_MSCHAP }; // RFC 2433 "LCP Configuration": C223, algorithm 0x80
    case 'mschapv2':
      return { protocol: PPP_PROTO_CHAP, algorithm: CHAP_ALG_MSCHAPV2 }; // RFC 2759 §2: C223, algorithm 0x81
    case 'eap':
      return { protocol: PPP_PROTO_EAP }; // RFC 2284 §2.1 (kept by RFC 3748): C227, no data
  }
}

/**
 * The method a received Authentication-Protocol option asks for. `data` is the option data
 * after the 2-octet protocol. Unknown protocols, unknown CHAP algorithms and malformed data
 * give undefined (LCP then Naks with a method the profile allows).
 */
export function methodFromAuthOption(protocol: number, data: Uint8Array): AuthMethodName | 'spap' | undefined {
  switch (protocol) {
    case PPP_PROTO_PAP: // RFC 1334 §3: no data
      return data.length === 0 ? 'pap' : undefined;
    case PPP_PROTO_EAP: // RFC 2284 §2.1 / RFC 3748: no data
      return data.length === 0 ? 'eap' : undefined;
    case PPP_PROTO_SPAP:
      return 'spap';
    case PPP_PROTO_CHAP: {
      if (data.length !== 1) return undefined; // RFC 1994 §3: exactly one Algorithm octet
      switch (data[0]) {
        case CHAP_ALG_MD5: // RFC 1994 §3
          return 'chap';
        case CHAP_ALG_MSCHAP: // RFC 2433 "LCP Configuration"
          return 'mschap';
        case CHAP_ALG_MSCHAPV2: // RFC 2759 §2
          return 'mschapv2';
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}
