/**
 * LCP Authentication-Protocol (RFC 1661 §6.2, option type 3) from the authenticatee's side: the
 * server names the protocol it wants us to authenticate with; we never ask the server to
 * authenticate itself this way (MS-CHAPv2 proves the server through its authenticator response).
 *
 *  - the server's proposal is Ack'd when the profile allows that method;
 *  - otherwise we Nak with the strongest method the profile allows (AUTH_METHODS order);
 *  - with no method allowed we Reject the option;
 *  - SPAP (Shiva, 0xc027) and unknown protocols/CHAP algorithms are Nak'd the same way, with a
 *    message saying what the server asked for, so the failure reads well if the server gives up.
 *  - a Nak of ours is only a hint (we never send the option) and is ignored.
 *
 * Option data: PAP `c023` (RFC 1334 §2.1.1), CHAP `c223` + algorithm (RFC 1994 §3: 5 = MD5,
 * RFC 2433: 0x80 = MS-CHAP, RFC 2759: 0x81 = MS-CHAPv2), EAP `c227` (RFC 3748 §4).
 *
 * Owns: the one codec of this option (method <-> option data) and its handler.
 * Must not: run authentication (auth/ does) or name methods (preload/vocabulary.ts does).
 */
import type { AuthMethod } from '../../../../preload/vocabulary';
import { AUTH_METHODS, AUTH_METHOD_LABELS } from '../../../../preload/vocabulary';
import {
  CHAP_ALG_MD5,
  CHAP_ALG_MSCHAP,
  CHAP_ALG_MSCHAPV2,
  PPP_PROTO_CHAP,
  PPP_PROTO_EAP,
  PPP_PROTO_PAP,
} from '../auth/auth-client';
import type { OptionVerdict } from '../fsm-contract';
import type { PppOption } from '../packet';
import { PPP_PROTO_SPAP } from '../protocol';
import type { Refusal } from '../refusal';
import type { AuthSelection, LcpOptionHandler } from './option-handler';
import { LCP_OPT_AUTH_PROTOCOL } from './options';


const CHAP_ALGS: Readonly<Record<number, AuthMethod>> = {
  [CHAP_ALG_MD5]: 'chap', // RFC 1994 §3
  [CHAP_ALG_MSCHAP]: 'mschap', // RFC 2433 "LCP Configuration"
  [CHAP_ALG_MSCHAPV2]: 'mschapv2', // RFC 2759 §2
};

export type ParsedAuthOption =
  | { readonly kind: 'method'; readonly selection: AuthSelection }
  | { readonly kind: 'unsupported'; readonly description: string };

export function parseAuthOption(option: PppOption): ParsedAuthOption {
  const d = option.data;
  if (d.length < 2) return { kind: 'unsupported', description: 'a malformed Authentication-Protocol option' };
  const protocol = (d[0]! << 8) | d[1]!;
  if (protocol === PPP_PROTO_PAP && d.length === 2) return { kind: 'method', selection: { method: 'pap', protocol } };
  if (protocol === PPP_PROTO_EAP && d.length === 2) return { kind: 'method', selection: { method: 'eap', protocol } };
  if (protocol === PPP_PROTO_CHAP && d.length === 3) {
    const method = CHAP_ALGS[d[2]!];
    if (method) return { kind: 'method', selection: { method, protocol } };
    return { kind: 'unsupported', description: `CHAP with unknown algorithm 0x${d[2]!.toString(16)}` };
  }
  if (protocol === PPP_PROTO_SPAP) {
    return { kind: 'unsupported', description: 'SPAP (Shiva PAP), a proprietary method this client does not speak' };
  }
  return { kind: 'unsupported', description: `authentication protocol 0x${protocol.toString(16).padStart(4, '0')}` };
}

export function authOption(method: AuthMethod): PppOption {
  switch (method) {
    case 'pap':
      return { type: LCP_OPT_AUTH_PROTOCOL, data: Uint8Array.of(PPP_PROTO_PAP >> 8, PPP_PROTO_PAP & 0xff) };
    case 'eap':
      return { type: LCP_OPT_AUTH_PROTOCOL, data: Uint8Array.of(PPP_PROTO_EAP >> 8, PPP_PROTO_EAP & 0xff) };
    case 'chap':
    case 'mschap':
    case 'mschapv2': {
      const alg = method === 'chap' ? CHAP_ALG_MD5 : method === 'mschap' ? CHAP_ALG_MSCHAP : CHAP_ALG_MSCHAPV2;
      return { type: LCP_OPT_AUTH_PROTOCOL, data: Uint8Array.of(PPP_PROTO_CHAP >> 8, PPP_PROTO_CHAP & 0xff, alg) };
    }
  }
}

/** The methods the profile allows, strongest first. */
export function allowedInOrder(allowed: readonly AuthMethod[]): AuthMethod[] {
  return AUTH_METHODS.filter((m) => allowed.includes(m));
}

export interface AuthCheck {
  readonly verdict: OptionVerdict;
  readonly selection?: AuthSelection;
  /** Set when we could not accept the proposal: what the server asked for and what we allow. */
  readonly refusal?: Refusal;
}

export function checkPeerAuth(option: PppOption, allowed: readonly AuthMethod[]): AuthCheck {
  const parsed = parseAuthOption(option);
  if (parsed.kind === 'method' && allowed.includes(parsed.selection.method)) {
    return { verdict: { kind: 'ack' }, selection: parsed.selection };
  }
  const ours = allowedInOrder(allowed);
  const refusal: Refusal =
    parsed.kind === 'method'
      ? { kind: 'auth-method', serverOffer: AUTH_METHOD_LABELS[parsed.selection.method], serverMethod: parsed.selection.method, allowed: ours }
      : { kind: 'auth-method', serverOffer: parsed.description, allowed: ours };
  const strongest = ours[0];
  if (!strongest) return { verdict: { kind: 'reject' }, refusal };
  return { verdict: { kind: 'nak', suggest: authOption(strongest) }, refusal };
}

export const authProtocolHandler: LcpOptionHandler = {
  type: LCP_OPT_AUTH_PROTOCOL,
  want() {}, // we are the authenticatee: never in our request
  encode: () => undefined,
  checkRequest(option, ctx, agreed) {
    const c = checkPeerAuth(option, ctx.allowedAuth);
    if (c.selection) agreed.auth = c.selection;
    if (c.refusal) ctx.refuseAuth(c.refusal);
    return c.verdict;
  },
  onNak: () => 'ok', // a hint for something we do not want: ignored
  onReject() {},
};
