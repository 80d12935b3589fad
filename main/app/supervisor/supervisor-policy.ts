/**
 * The supervisor's policy, as pure functions: how long to wait for each step, what a service
 * exit means, how a refused request is answered, and what to call a death. The supervisor and
 * service-process.ts hold the timers and the child; these say what the numbers and outcomes are,
 * so they are tested without real time or processes.
 *
 * Must not: spawn, wait, log or touch the tunnel state.
 */
import type { TunnelState } from '../../../preload/contract';
import type { ServiceCommand } from './launch';
import type { RpcClientErrorCode } from './rpc-client';

/** Budgets (ms). pkexec waits for the user to type the administrator password. */
export const TIMEOUTS = {
  startDirect: 20_000,
  startPkexec: 180_000,
  /** The daemon is already running: connect + hello only. */
  startSocket: 10_000,
  /** `connect` accepted (the service answers once it has started trying). */
  connect: 120_000,
  /**
   * A connection test, from request to result: DNS, TCP (5 s), then the probe, whose slowest
   * failures are the engine's own timeouts (GRE silence, LCP max-configure at 3 s restarts, auth).
   */
  test: 120_000,
  /** Other requests, and the teardown the service reports after a `disconnect`. */
  request: 30_000,
  /** Quit: disconnect + shutdown + exit, before SIGTERM/SIGKILL. */
  stop: 8_000,
  /** After a connect request died with the pipe: the exit handler's turn to explain. */
  exitAfterClosed: 2_000,
  /** Quit: the part of the budget kept for shutdown and exit after the teardown. */
  stopAfterTeardown: 3_000,
  shutdown: 2_000,
  exitAfterShutdown: 3_000,
  /** Each of SIGTERM and SIGKILL. */
  exitAfterSignal: 2_000,
  /** The least any step of a quit is given, however late it is. */
  stopStepFloor: 100,
} as const;

/** How long the service may take to answer `hello`. */
export function startTimeoutMs(command: ServiceCommand, override?: number): number {
  if (override !== undefined) return override;
  if (command.mode === 'pkexec') return TIMEOUTS.startPkexec;
  return command.mode === 'socket' ? TIMEOUTS.startSocket : TIMEOUTS.startDirect;
}

/** The time left of a quit's budget at `now`, never below the floor. */
export function stopTimeLeft(deadline: number, now: number): number {
  return Math.max(TIMEOUTS.stopStepFloor, deadline - now);
}

/** A tunnel is up or on its way: a second connect is refused as busy; quitting disconnects it. */
export function isTunnelActive(state: TunnelState): state is Extract<TunnelState, { state: 'connecting' | 'connected' | 'disconnecting' }> {
  return state.state === 'connecting' || state.state === 'connected' || state.state === 'disconnecting';
}

/** What the child's exit status says, for the log and the failure message. */
export function exitMessage(command: ServiceCommand, exitInfo: string): string {
  // pkexec: 126 = the user dismissed the authentication dialog, 127 = not authorised.
  if (command.mode === 'pkexec' && /exit code 12[67]$/.test(exitInfo)) {
    return 'The tunnel service was not started: administrator authentication was dismissed or refused.';
  }
  if (command.mode === 'socket') return `The connection to the PPTP Manager helper was lost (${exitInfo || 'unknown reason'}).`;
  return `The tunnel service stopped unexpectedly (${exitInfo || 'unknown status'}).`;
}

export type ServiceExitOutcome =
  /** It never answered hello: the start path reports it. */
  | { readonly kind: 'start-failed' }
  /** We asked it to stop. */
  | { readonly kind: 'expected' }
  /** No tunnel of ours was running: worth a warning only. */
  | { readonly kind: 'unattended' }
  /** It died under a tunnel: the tunnel fails with this message. */
  | { readonly kind: 'tunnel-lost'; readonly profileId: string; readonly message: string };

/** What the service's exit means for the app (DESIGN.md §3: the journal restores the network at the next start). */
export function serviceExitOutcome(facts: { ready: boolean; stopping: boolean; state: TunnelState; command: ServiceCommand; exitInfo: string }): ServiceExitOutcome {
  if (!facts.ready) return { kind: 'start-failed' };
  if (facts.stopping) return { kind: 'expected' };
  if (facts.state.state === 'idle') return { kind: 'unattended' };
  return {
    kind: 'tunnel-lost',
    profileId: facts.state.profileId,
    message:
      facts.command.mode === 'socket'
        ? `${exitMessage(facts.command, facts.exitInfo)} The helper ends a tunnel its last client left and restores routes and DNS.`
        : `${exitMessage(facts.command, facts.exitInfo)} Routes and DNS are restored from its journal when it next starts.`,
  };
}

export type ConnectRefusal =
  /** The service already has a tunnel we do not know about (e.g. after an app restart). */
  | { readonly kind: 'service-busy' }
  /** Anything else fails the attempt; `waitForExit` when the pipe closed (the exit explains more). */
  | { readonly kind: 'failed'; readonly waitForExit: boolean };

export function connectRefusal(code: RpcClientErrorCode): ConnectRefusal {
  if (code === 'busy') return { kind: 'service-busy' };
  return { kind: 'failed', waitForExit: code === 'closed' };
}

/** What a refused `test` request means for the caller: its IPC code and words. */
export function testRefusal(code: RpcClientErrorCode, message: string): { readonly code: 'busy' | 'unsupported' | 'internal'; readonly message: string } {
  if (code === 'busy') return { code: 'busy', message: 'The tunnel service is busy: disconnect, or wait for the running test, then test again.' };
  // An older service does not know `test` ('bad-request'); pptpctl's socket does not serve it.
  if (code === 'bad-request' || code === 'unsupported') return { code: 'unsupported', message: 'This tunnel service cannot test connections (it may be older than the app): restart the app or update the service.' };
  return { code: 'internal', message: `The connection test failed: ${message}` };
}

/** A disconnect the service could not act on because nothing was there to end (not an error). */
export function isNothingToDisconnect(code: RpcClientErrorCode): boolean {
  return code === 'not-connected' || code === 'closed';
}
