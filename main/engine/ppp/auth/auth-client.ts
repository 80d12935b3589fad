/**
 * The one interface every client-side authentication method implements (pppd's "auth digests
 * register behind one small interface"). The PPP link creates the method LCP negotiated, starts
 * it when LCP is Opened, feeds it the information field of every packet of its protocol, and
 * polls it for packets to send and for its outcome. A method never sees LCP, CCP or the wire.
 *
 * Driver order (like the rest of the engine): start(now) → { handlePacket(now, …) |
 * handleTimeout(now) }* → after each input, drain pollTransmit() then pollResult().
 */
import type { AuthMethod } from '../../../../preload/vocabulary';
import type { Failure } from '../../failure';
import type { RandomSource } from '../../random';
import type { Refusal } from '../refusal';


/** PPP protocol numbers of the authentication protocols (RFC 1661 §6 and assigned numbers). */
export const PPP_PROTO_PAP = 0xc023; // RFC 1334 §2
export const PPP_PROTO_CHAP = 0xc223; // RFC 1994 §3
export const PPP_PROTO_EAP = 0xc227; // RFC 3748 §4

/** CHAP algorithm octets in the LCP Authentication-Protocol option (RFC 1994 §3, RFC 2433, RFC 2759). */
export const CHAP_ALG_MD5 = 0x05;
export const CHAP_ALG_MSCHAP = 0x80;
export const CHAP_ALG_MSCHAPV2 = 0x81;

export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** NT domain; sent as DOMAIN\\user for the MS-CHAP methods when set. */
  readonly domain?: string;
}

/**
 * MPPE start keys derived during authentication (RFC 3079 §2 / §3), from the client's point of
 * view, each 16 octets before truncation to the negotiated key length. The MPPE module derives
 * the initial session keys from these.
 */
export interface MppeStartKeys {
  readonly send: Uint8Array;
  readonly receive: Uint8Array;
}

export type AuthOutcome =
  | {
      readonly kind: 'success';
      readonly method: AuthMethod;
      /** What the server said on success, if anything (shown in the timeline). */
      readonly message?: string;
      /** Present for MS-CHAPv1, MS-CHAPv2 and EAP-MS-CHAPv2: MPPE needs them. */
      readonly mppeKeys?: MppeStartKeys;
    }
  | { readonly kind: 'failure'; readonly failure: Failure };

export interface AuthClient {
  readonly method: AuthMethod;
  /** The PPP protocol number this method's packets travel in (PAP, CHAP or EAP). */
  readonly protocol: number;
  /** Authentication phase begins (LCP Opened). PAP sends its Authenticate-Request here. */
  start(now: number): void;
  /** The information field of one received packet of `protocol` (code, identifier, length, data). */
  handlePacket(now: number, packet: Uint8Array): void;
  handleTimeout(now: number): void;
  nextTimeout(): number | undefined;
  /** The next information field to send in `protocol`, or undefined. */
  pollTransmit(): Uint8Array | undefined;
  /** The outcome once known (then the method is finished), else undefined. */
  pollResult(): AuthOutcome | undefined;
  /** Packet counters (optional so that test doubles need not keep them). */
  readonly counters?: AuthCounters;
  /**
   * What the method refused of the server's requests (EAP: a type it Nak'd), unless it
   * succeeded: if the server then gives up on us, this is why (ppp/refusal.ts).
   */
  readonly refusal?: Refusal;
}

/** What a method saw: packets received, how many it ignored (malformed, stale id, wrong state), sent. */
export interface AuthCounters {
  readonly received: number;
  readonly ignored: number;
  readonly transmitted: number;
  /** Why the last ignored packet was ignored (never contains packet contents or secrets). */
  readonly lastIgnored?: string;
}

export interface AuthClientOptions {
  readonly credentials: Credentials;
  readonly random: RandomSource;
  /** PAP retransmission (RFC 1334 §2.2 leaves it to the implementation): default 3000 ms, 10 tries. */
  readonly restartMs?: number;
  readonly maxRequests?: number;
  /** EAP: which inner EAP types the profile allows (MD5-Challenge, MS-CHAPv2). Default both. */
  readonly eapTypes?: readonly ('md5' | 'mschapv2')[];
  /**
   * CHAP, MS-CHAP and EAP: give up when no outcome arrives this long after start (the server
   * retransmits its challenges; the client only waits). Default 30000 ms.
   */
  readonly timeoutMs?: number;
}
