import { describe, expect, it } from 'vitest';
import type { PppLinkEvent } from '../../../main/engine/ppp/link-types';
import { PhaseTimeline, controlDoneDetail, phaseStepForLinkEvent } from '../../../main/engine/session-timeline';
import type { SessionEvent } from '../../../main/engine/session-types';

const LCP_UP: PppLinkEvent = {
  type: 'lcp-up',
  at: 1,
  mru: 1400,
  peerMru: 1500,
  auth: 'mschap',
  accm: { send: 0, receive: 0 },
  pfc: { send: true, receive: false },
  acfc: { send: false, receive: true },
  magic: { ours: 1, peer: 2 },
};

describe('phaseStepForLinkEvent', () => {
  it('a layer started is its phase started, one to one', () => {
    for (const layer of ['lcp', 'auth', 'ccp', 'ipcp'] as const) {
      expect(phaseStepForLinkEvent({ type: 'layer', at: 0, layer, status: 'started' })).toEqual({ phase: layer, status: 'started' });
    }
  });

  it('lcp-up: done with the sizes, the method label and what we may compress', () => {
    expect(phaseStepForLinkEvent(LCP_UP)).toEqual({
      phase: 'lcp',
      status: 'done',
      detail: { mru: 1400, peerMru: 1500, auth: 'MS-CHAPv1', pfc: true, acfc: false },
    });
    expect(phaseStepForLinkEvent({ ...LCP_UP, auth: null })).toMatchObject({ detail: { auth: 'none' } });
  });

  it('auth-success: done with the method label and what the server said, if anything', () => {
    expect(phaseStepForLinkEvent({ type: 'auth-success', at: 0, method: 'chap', message: 'hi' })).toEqual({
      phase: 'auth',
      status: 'done',
      detail: { method: 'CHAP-MD5', server: 'hi' },
    });
    expect(phaseStepForLinkEvent({ type: 'auth-success', at: 0, method: 'mschapv2', message: '' })).toEqual({
      phase: 'auth',
      status: 'done',
      detail: { method: 'MS-CHAPv2' },
    });
  });

  it('ccp: done with the MPPE strength, or none when opened without it or abandoned', () => {
    expect(phaseStepForLinkEvent({ type: 'ccp-up', at: 0, mppe: { bits: 56, stateful: true } })).toEqual({
      phase: 'ccp',
      status: 'done',
      detail: { mppe: '56-bit', mode: 'stateful' },
    });
    expect(phaseStepForLinkEvent({ type: 'ccp-up', at: 0, mppe: null })).toEqual({ phase: 'ccp', status: 'done', detail: { mppe: 'none' } });
    expect(phaseStepForLinkEvent({ type: 'layer', at: 0, layer: 'ccp', status: 'abandoned' })).toEqual({
      phase: 'ccp',
      status: 'done',
      detail: { mppe: 'none' },
    });
  });

  it('ipcp-up: done with the addresses; an unnamed server address is "unknown"', () => {
    const step = phaseStepForLinkEvent({ type: 'ipcp-up', at: 0, localIp: '10.0.0.2', remoteIp: undefined, dns: ['1.1.1.1'], wins: [], mtu: 1396 });
    expect(step).toEqual({ phase: 'ipcp', status: 'done', detail: { local: '10.0.0.2', remote: 'unknown', dns: ['1.1.1.1'], mtu: 1396 } });
  });

  it('phases, failures and link-down are not timeline steps (the session fails the running phases)', () => {
    expect(phaseStepForLinkEvent({ type: 'phase', at: 0, phase: 'network' })).toBeUndefined();
    expect(phaseStepForLinkEvent({ type: 'failed', at: 0, failure: { reason: 'auth-failed', message: 'x' } })).toBeUndefined();
    expect(phaseStepForLinkEvent({ type: 'link-down', at: 0, failure: { reason: 'auth-failed', message: 'x' } })).toBeUndefined();
  });
});

describe('controlDoneDetail', () => {
  it('names the server and writes the protocol version as major.minor', () => {
    const peer = { protocolVersion: 0x0100, framingCapabilities: 1, bearerCapabilities: 1, maximumChannels: 1, firmwareRevision: 7, hostName: 'gw', vendor: 'pptpd' };
    expect(controlDoneDetail(peer)).toEqual({ server: 'gw', vendor: 'pptpd', firmware: 7, version: '1.0' });
  });
});

describe('PhaseTimeline', () => {
  it('times each phase, and fails the running ones in the order they started', () => {
    const events: SessionEvent[] = [];
    const timeline = new PhaseTimeline((e) => events.push(e));
    timeline.started(0, 'lcp');
    timeline.apply(5, { phase: 'lcp', status: 'done', detail: { mru: 1400 } });
    timeline.started(5, 'ccp');
    timeline.started(6, 'ipcp');
    timeline.done(9, 'auth'); // never started: 0 ms
    timeline.failRunning(20, 'encryption-refused');
    timeline.failRunning(21, 'internal-error'); // nothing left to fail
    expect(events).toEqual([
      { type: 'phase', phase: 'lcp', status: 'started', at: 0 },
      { type: 'phase', phase: 'lcp', status: 'done', at: 5, durationMs: 5, detail: { mru: 1400 } },
      { type: 'phase', phase: 'ccp', status: 'started', at: 5 },
      { type: 'phase', phase: 'ipcp', status: 'started', at: 6 },
      { type: 'phase', phase: 'auth', status: 'done', at: 9, durationMs: 0 },
      { type: 'phase', phase: 'ccp', status: 'failed', at: 20, durationMs: 15, detail: { reason: 'encryption-refused' } },
      { type: 'phase', phase: 'ipcp', status: 'failed', at: 20, durationMs: 14, detail: { reason: 'encryption-refused' } },
    ]);
  });
});
