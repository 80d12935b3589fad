/**
 * The supervisor's policy without time or processes (main/app/supervisor/supervisor-policy.ts):
 * budgets, what a service exit means, how refusals are answered.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../../preload/contract';
import type { ServiceCommand } from '../../../../main/app/supervisor/launch';
import {
  TIMEOUTS,
  connectRefusal,
  exitMessage,
  isNothingToDisconnect,
  isTunnelActive,
  serviceExitOutcome,
  startTimeoutMs,
  stopTimeLeft,
} from '../../../../main/app/supervisor/supervisor-policy';

const direct: ServiceCommand = { mode: 'direct', command: '/usr/bin/node', args: ['service.mjs'] };
const pkexec: ServiceCommand = { mode: 'pkexec', command: 'pkexec', args: ['/usr/lib/pptp-manager/pptp-manager-service'] };
const ID = '6f1c1a52-2d0b-4a5e-9d0c-3a2b1c0d9e8f';
const connected: TunnelState = {
  state: 'connected',
  profileId: ID,
  details: { server: 's', localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: [], mtu: 1400, auth: 'mschapv2', mppe: null, elapsedMs: 1 },
};

describe('supervisor policy', () => {
  it('startTimeout_pkexecWaitsForTheUser_anOverrideWins', () => {
    expect(startTimeoutMs(direct)).toBe(TIMEOUTS.startDirect);
    expect(startTimeoutMs(pkexec)).toBe(TIMEOUTS.startPkexec);
    expect(startTimeoutMs(pkexec, 500)).toBe(500);
    expect(TIMEOUTS.startPkexec).toBeGreaterThan(TIMEOUTS.startDirect);
  });

  it('stopTimeLeft_neverBelowTheFloor', () => {
    expect(stopTimeLeft(10_000, 4_000)).toBe(6_000);
    expect(stopTimeLeft(10_000, 12_000)).toBe(TIMEOUTS.stopStepFloor);
  });

  it('isTunnelActive_connectingConnectedDisconnecting', () => {
    expect(isTunnelActive({ state: 'idle' })).toBe(false);
    expect(isTunnelActive({ state: 'connecting', profileId: ID, phase: null, attempt: 0 })).toBe(true);
    expect(isTunnelActive(connected)).toBe(true);
    expect(isTunnelActive({ state: 'disconnecting', profileId: ID })).toBe(true);
    expect(isTunnelActive({ state: 'error', profileId: ID, failure: { reason: 'auth-failed', message: 'x' }, advice: { title: 't', fix: 'f' } })).toBe(false);
  });

  it('exitMessage_pkexecDismissedOrRefused_saysSo', () => {
    expect(exitMessage(pkexec, 'exit code 126')).toMatch(/authentication was dismissed or refused/);
    expect(exitMessage(pkexec, 'exit code 127')).toMatch(/authentication was dismissed or refused/);
    expect(exitMessage(direct, 'exit code 126')).toBe('The tunnel service stopped unexpectedly (exit code 126).');
    expect(exitMessage(direct, '')).toBe('The tunnel service stopped unexpectedly (unknown status).');
  });

  it('serviceExit_startFailed_expected_unattended_tunnelLost', () => {
    const facts = { ready: true, stopping: false, state: connected, command: direct, exitInfo: 'signal SIGKILL' };
    expect(serviceExitOutcome({ ...facts, ready: false })).toEqual({ kind: 'start-failed' });
    expect(serviceExitOutcome({ ...facts, stopping: true })).toEqual({ kind: 'expected' });
    expect(serviceExitOutcome({ ...facts, state: { state: 'idle' } })).toEqual({ kind: 'unattended' });
    const lost = serviceExitOutcome(facts);
    expect(lost).toMatchObject({ kind: 'tunnel-lost', profileId: ID });
    expect(lost.kind === 'tunnel-lost' && lost.message).toMatch(/signal SIGKILL\)\. Routes and DNS are restored from its journal/);
  });

  it('connectRefusal_busyIsTheServicesOwnTunnel_closedWaitsForTheExit', () => {
    expect(connectRefusal('busy')).toEqual({ kind: 'service-busy' });
    expect(connectRefusal('closed')).toEqual({ kind: 'failed', waitForExit: true });
    expect(connectRefusal('timeout')).toEqual({ kind: 'failed', waitForExit: false });
  });

  it('disconnect_notConnectedOrClosed_isNothingToEnd', () => {
    expect(isNothingToDisconnect('not-connected')).toBe(true);
    expect(isNothingToDisconnect('closed')).toBe(true);
    expect(isNothingToDisconnect('timeout')).toBe(false);
  });
});
