/**
 * PptpSession's public types: configuration, the events it reports (timeline phases, up, log,
 * closed), its state and counters. Kept apart from session.ts so the service, the CLI and the
 * tests can import them without the machinery. Types only.
 */
import type { LogLevel, TunnelPhase } from '../../preload/vocabulary';
import type { ControlConnectionConfig, PeerInfo, CallInfo } from './control/events';
import type { Failure } from './failure';
import type { GreCallConfig, GreCounters } from './gre';
import type { Credentials } from './ppp/auth/auth-client';
import type { AuthMethod } from '../../preload/vocabulary';
import type { LcpEchoConfig, MppePolicy, PppLinkConfig, PppLinkCounters } from './ppp/link-types';
import type { MppeParams } from './ppp/mppe-contract';
import type { RandomSource } from './random';

export interface PptpSessionConfig {
  readonly random: RandomSource;
  readonly credentials: Credentials;
  readonly allowedAuth: readonly AuthMethod[];
  readonly mppe: MppePolicy;
  /** Our MRU (PppLink default 1400). */
  readonly mru?: number;
  readonly lcpEcho?: LcpEchoConfig;
  readonly greSilenceTimeoutMs?: number;
  /** Overrides for the control connection (timeouts, host name, vendor, windows). */
  readonly control?: Omit<ControlConnectionConfig, 'random'>;
  /** Overrides for the GRE call (reorder timeout, ack delay, queues). */
  readonly gre?: Pick<GreCallConfig, 'reorderTimeoutMs' | 'ackDelayMs' | 'maxReorderBuffer' | 'maxSendQueue'>;
  /** Overrides for PPP (FSM timing, negotiation timeouts, test seams). */
  readonly ppp?: Partial<Omit<PppLinkConfig, 'credentials' | 'allowedAuth' | 'mppe' | 'random'>>;
}

/** The timeline phases this engine reports; the service adds 'tcp' before and 'routes' after. */
export type SessionPhase = Exclude<TunnelPhase, 'tcp' | 'routes'>;

export type SessionDetail = Readonly<Record<string, string | number | boolean | string[]>>;

export interface SessionUpInfo {
  readonly localIp: string;
  readonly remoteIp: string;
  readonly dns: readonly string[];
  readonly wins: readonly string[];
  readonly mtu: number;
  readonly auth: AuthMethod | 'none';
  readonly mppe: MppeParams | null;
  readonly peer: PeerInfo | undefined;
  readonly call: CallInfo | undefined;
}

export type SessionEvent =
  | {
      readonly type: 'phase';
      readonly phase: SessionPhase;
      readonly status: 'started' | 'done' | 'failed';
      readonly at: number;
      readonly durationMs?: number;
      readonly detail?: SessionDetail;
    }
  /** IPCP is up: IP may flow. May repeat if the server renegotiates IPCP. */
  | ({ readonly type: 'up'; readonly at: number } & SessionUpInfo)
  | { readonly type: 'log'; readonly level: Exclude<LogLevel, 'error'>; readonly at: number; readonly message: string }
  /** Terminal and always last: reason 'local-disconnect' after disconnect(). */
  | { readonly type: 'closed'; readonly at: number; readonly failure: Failure };

export type SessionState = 'idle' | 'control' | 'call' | 'ppp' | 'up' | 'closing' | 'closed';

export interface SessionCounters {
  /** IP packets/bytes from the TUN handed to PPP, and from PPP to the TUN. */
  ipTxPackets: number;
  ipTxBytes: number;
  ipRxPackets: number;
  ipRxBytes: number;
  /** GRE packets that arrived before the call existed or after it ended. */
  greBeforeCall: number;
}

export interface SessionStats {
  readonly session: Readonly<SessionCounters>;
  readonly gre: GreCounters | undefined;
  readonly ppp: Readonly<PppLinkCounters> | undefined;
}
