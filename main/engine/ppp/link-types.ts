/**
 * The PPP link's public types: configuration, phases, events and counters. Kept apart from
 * link.ts so the session, the CLI and the tests can import them without the machinery.
 */
import type { Failure } from '../failure';
import type { FramePool } from '../wire/frame-pool';
import type { RandomSource } from '../random';
import type { AuthClient, AuthClientOptions, Credentials } from './auth/auth-client';
import type { AuthMethod } from '../../../preload/vocabulary';
import type { MppePolicy } from './ccp/mppe-option';
import type { FsmTiming } from './fsm';
import type { LcpEchoConfig } from './lcp/echo';
import type { MppeDecryptor, MppeEncryptor, MppeParams } from './mppe-contract';

export type { MppePolicy } from './ccp/mppe-option';
export type { LcpEchoConfig } from './lcp/echo';

/** RFC 1661 §3.2 link phases. */
export type PppPhase = 'dead' | 'establish' | 'authenticate' | 'network' | 'terminate';

/**
 * The layers the link runs, in the order layer-order.ts gives: LCP (Establish phase), the
 * authentication method (Authenticate), then the NCPs CCP and IPCP (Network).
 */
export type PppLayer = 'lcp' | 'auth' | 'ccp' | 'ipcp';

export interface PppLinkConfig {
  readonly credentials: Credentials;
  /** Methods the profile allows (any order; the strongest allowed is proposed first). */
  readonly allowedAuth: readonly AuthMethod[];
  readonly mppe: MppePolicy;
  readonly random: RandomSource;
  /** Our MRU (default 1400, see link.ts for the arithmetic). */
  readonly mru?: number;
  /** LCP Echo keepalive (default fixed, 10 s x 3). */
  readonly lcpEcho?: LcpEchoConfig;
  /** RFC 1661 §4.6 counters and timer (default 3 s / 10 / 2 / 5). */
  readonly timing?: Partial<FsmTiming>;
  /**
   * How long each negotiation (LCP; CCP; IPCP) may take before the link gives up with
   * 'negotiation-failed', whatever the peer does. Default restartMs x (maxConfigure + 1) = 33 s,
   * so a silent peer is reported by the automaton's own Max-Configure first.
   */
  readonly negotiationTimeoutMs?: number;
  /** Safety net for the authentication phase (the methods have their own timeouts). Default 60 s. */
  readonly authTimeoutMs?: number;
  /** Ask IPCP for WINS servers (default true). */
  readonly requestWins?: boolean;
  /** Passed to the auth method (EAP inner types). */
  readonly eapTypes?: AuthClientOptions['eapTypes'];
  /** Keep FSM traces (tests, diagnostics). */
  readonly trace?: boolean;
  /** Seams for tests; default to auth/index.ts createAuthClient and mppe.ts. */
  readonly createAuthClient?: (method: AuthMethod, options: AuthClientOptions) => AuthClient;
  readonly createMppeEncryptor?: (startKey: Uint8Array, params: MppeParams) => MppeEncryptor;
  readonly createMppeDecryptor?: (startKey: Uint8Array, params: MppeParams) => MppeDecryptor;
  /**
   * Where encrypted IP frames get their buffers (the session's pool for outgoing GRE packets,
   * wire/frame-pool.ts). Omitted: a fresh buffer per frame.
   */
  readonly framePool?: FramePool;
}

export interface LcpUpInfo {
  /** What the peer may send us. */
  readonly mru: number;
  /** What we may send. */
  readonly peerMru: number;
  readonly auth: AuthMethod | null;
  readonly accm: { readonly send: number; readonly receive: number };
  readonly pfc: { readonly send: boolean; readonly receive: boolean };
  readonly acfc: { readonly send: boolean; readonly receive: boolean };
  readonly magic: { readonly ours: number; readonly peer: number };
}

export interface IpcpUpInfo {
  readonly localIp: string;
  /** undefined when the server did not tell its own address. */
  readonly remoteIp: string | undefined;
  readonly dns: readonly string[];
  readonly wins: readonly string[];
  /** The MTU for the TUN device: min(MRU, peer MRU) minus MPPE overhead (link.ts). */
  readonly mtu: number;
}

/**
 * Everything the link reports, in order. Each layer's life is told in these events and nowhere
 * else (the session reads no layer internals):
 *  - started:   {type:'layer', status:'started'} when the link begins it;
 *  - done:      lcp-up, auth-success, ccp-up, ipcp-up;
 *  - given up:  {type:'layer', layer:'ccp', status:'abandoned'} when MPPE is optional and CCP
 *               was refused or gave up; reported just before the ipcp-up that goes on without it;
 *  - failed:    'failed' (its failure.detail.layer names the layer); every layer started and not
 *               done fails with it.
 */
export type PppLinkEvent =
  | { readonly type: 'phase'; readonly at: number; readonly phase: PppPhase }
  | { readonly type: 'layer'; readonly at: number; readonly layer: PppLayer; readonly status: 'started' }
  | { readonly type: 'layer'; readonly at: number; readonly layer: 'ccp'; readonly status: 'abandoned' }
  | ({ readonly type: 'lcp-up'; readonly at: number } & LcpUpInfo)
  | { readonly type: 'auth-success'; readonly at: number; readonly method: AuthMethod; readonly message?: string }
  /** mppe null: CCP opened without encryption (only with policy 'optional'). */
  | { readonly type: 'ccp-up'; readonly at: number; readonly mppe: MppeParams | null }
  | ({ readonly type: 'ipcp-up'; readonly at: number } & IpcpUpInfo)
  /** PPP gave up: emitted as soon as the cause is known, before the Terminate exchange. */
  | { readonly type: 'failed'; readonly at: number; readonly failure: Failure }
  /** Terminal: the link is Dead. reason 'local-disconnect' after close(). Always the last event. */
  | { readonly type: 'link-down'; readonly at: number; readonly failure: Failure };

export interface PppLinkCounters {
  framesIn: number;
  framesOut: number;
  /** Frames that did not decode (bad protocol field, empty). */
  malformedFrames: number;
  /** Frames of a known protocol dropped because the phase does not allow it yet (RFC 1661 §3). */
  droppedWrongPhase: number;
  ipIn: number;
  ipOut: number;
  /** IP packets refused because encryption is required or in use and the packet was plain. */
  droppedUnencrypted: number;
  /** IP packets offered before IPCP was Opened. */
  droppedNotReady: number;
  /** IP packets larger than the peer's MRU allows. */
  droppedTooBig: number;
  /** Received MPPE packets the decryptor refused. */
  decryptErrors: number;
  protocolRejectsSent: number;
  resetRequestsSent: number;
  /** Auth-protocol packets after the method finished. */
  droppedAuth: number;
}
