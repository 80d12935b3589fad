/**
 * How the server families users have speak on the wire, as PptpServer configurations for the
 * scripted server (facts and sources: shared/notes/servers.md). Windows RRAS and MikroTik
 * RouterOS are known here only from those sources, not from a real run; each preset names what
 * it reproduces. Test code only.
 */
import type { PptpServerConfig } from './pptp-server';
import type { PppOption } from '../../../main/engine/ppp/packet';
import { optionU16 } from '../../../main/engine/ppp/packet';
import { MPPE_BIT_C, MPPE_BIT_H, MPPE_BIT_L, MPPE_BIT_M, MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';

/** LCP option types RRAS adds with Multilink and BAP/BACP on (RFC 1570, RFC 1990, RFC 2125). */
export const LCP_OPT_CALLBACK = 13;
export const LCP_OPT_MRRU = 17;
export const LCP_OPT_ENDPOINT_DISCRIMINATOR = 19;
export const LCP_OPT_LINK_DISCRIMINATOR = 23;

/** Protocols RRAS may send that a PPTP client does not run. */
export const PPP_PROTO_BCP = 0x8031; // RFC 3518 bridging
export const PPP_PROTO_BACP = 0xc02b; // RFC 2125
export const PPP_PROTO_BAP = 0xc02d; // RFC 2125

/**
 * RRAS's first LCP request beyond MRU/auth/magic/PFC/ACFC: Callback (operation 6 = CBCP), MRRU
 * 1614, Endpoint-Discriminator (class 1, locally assigned, 16 octets), Link-Discriminator.
 */
export const RRAS_EXTRA_LCP_OPTIONS: readonly PppOption[] = [
  { type: LCP_OPT_CALLBACK, data: Uint8Array.of(6) },
  optionU16(LCP_OPT_MRRU, 1614),
  { type: LCP_OPT_ENDPOINT_DISCRIMINATOR, data: Uint8Array.of(1, ...Array.from({ length: 16 }, (_, i) => 0xa0 + i)) },
  optionU16(LCP_OPT_LINK_DISCRIMINATOR, 0),
];

/** RRAS with software compression on: MPPC plus every key length, stateless (H). */
export const RRAS_MPPE_OFFER = MPPE_BIT_C | MPPE_BIT_H | MPPE_BIT_S | MPPE_BIT_M | MPPE_BIT_L;

/**
 * Windows RRAS (Server 2008 – 2022) with its PPP-tab defaults (Multilink, BAP/BACP, LCP
 * extensions, software compression): MRU 1400, the extra LCP options above (dropped once
 * rejected), a CCP offer with MPPC and several key lengths that settles on 128-bit stateless,
 * an MS-CHAPv2 Success worded without the space before M=.
 */
export function rrasServer(overrides: Partial<Omit<PptpServerConfig, 'random'>> = {}): Partial<Omit<PptpServerConfig, 'random'>> {
  return {
    ...overrides,
    ppp: {
      mru: 1400,
      extraLcpOptions: RRAS_EXTRA_LCP_OPTIONS,
      extraLcpOptionsOnReject: 'drop',
      mppeOffer: RRAS_MPPE_OFFER,
      acceptBits: MPPE_BIT_H | MPPE_BIT_S | MPPE_BIT_M | MPPE_BIT_L,
      ...overrides.ppp,
    },
  };
}

/**
 * MikroTik RouterOS: max-mru 1450, refuses ACCM (and PFC/ACFC) in both directions, sends IPV6CP
 * next to IPCP, rejects VJ (the scripted server never asks for it), MPPE 128 stateless.
 */
export function mikrotikServer(overrides: Partial<Omit<PptpServerConfig, 'random'>> = {}): Partial<Omit<PptpServerConfig, 'random'>> {
  return {
    ...overrides,
    ppp: {
      mru: 1450,
      omitLcpOptions: [2, 7, 8],
      rejectClientLcpOptions: [2, 7, 8],
      sendIpv6cp: true,
      ...overrides.ppp,
    },
  };
}
