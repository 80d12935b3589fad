/**
 * Server-side PPP authenticators for simulations and unit tests: the other end of each client
 * method in main/engine/ppp/auth. The PPP test peer (test/sim/support/ppp-peer.ts) plugs them in
 * through the interface below; keep it structurally identical to the one declared there.
 *
 * Each authenticator plays a well-behaved server by default and has hostile switches for the
 * failures a client must survive: a wrong or missing MS-CHAPv2 authenticator response, a
 * refusal with a chosen MS-CHAP error code, silence, garbage packets, a password echoed back.
 */
import type { RandomSource } from '../../../../main/engine/random';

export interface SimAuthResult {
  readonly ok: boolean;
  /** SERVER perspective: server send = client receive, server receive = client send. */
  readonly mppeKeys?: { readonly send: Uint8Array; readonly receive: Uint8Array };
}

export interface SimAuthenticator {
  readonly protocol: number;
  start(now: number): void;
  handlePacket(now: number, info: Uint8Array): void;
  pollTransmit(): Uint8Array | undefined;
  pollResult(): SimAuthResult | undefined;
}

export interface Hostility {
  /** MS-CHAPv2 / EAP-MS-CHAPv2: Success with an "S=" that does not match. */
  readonly wrongAuthenticatorResponse?: boolean;
  /** MS-CHAPv2: Success as Windows Server 2019 words it, with no space before "M=" (ppp-project/ppp pull 156). */
  readonly successWithoutSpace?: boolean;
  /** MS-CHAPv2 / EAP-MS-CHAPv2: Success without any "S=". */
  readonly missingAuthenticatorResponse?: boolean;
  /** EAP-MS-CHAPv2: skip the MS-CHAPv2 Success and send EAP-Success straight away. */
  readonly skipInnerSuccess?: boolean;
  /** Refuse the client whatever it sends: MS-CHAP "E=<code> R=<retry>", a Nak / Failure otherwise. */
  readonly failWith?: { readonly errorCode: number; readonly retry?: boolean; readonly message?: string };
  /** Never send anything. */
  readonly silent?: boolean;
  /** Before each real packet, send malformed ones (lying lengths, unknown code, stale identifier). */
  readonly garbage?: boolean;
  /** Put the password into the failure message text (the client must not repeat it). */
  readonly echoPassword?: boolean;
}

export interface AuthenticatorConfig {
  readonly username: string;
  readonly password: string;
  /** The challenge source (and EAP identifier source). */
  readonly random: RandomSource;
  /** The server's CHAP/EAP name (pppd's default hostname in the interop VM is "pptpd"). */
  readonly serverName?: string;
  readonly hostile?: Hostility;
}
