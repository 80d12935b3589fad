/**
 * The session's phase timeline (DESIGN §2 Diagnostics): each phase's started / done / failed
 * events with durations and negotiated values. It owns the running phases and the wording of
 * each phase's detail; it maps the PPP link's layer reports to phases one to one
 * (phaseStepForLinkEvent) and knows nothing of the layer order, which the link alone decides.
 * Pure: no clock, no I/O.
 */
import { AUTH_METHOD_LABELS, type FailureReason } from '../../preload/vocabulary';
import type { CallInfo, PeerInfo } from './control/events';
import type { PppLayer, PppLinkEvent } from './ppp/link-types';
import type { SessionDetail, SessionEvent, SessionPhase } from './session-types';

/** One step of the timeline a link event makes. */
export type PhaseStep =
  | { readonly phase: SessionPhase; readonly status: 'started' }
  | { readonly phase: SessionPhase; readonly status: 'done'; readonly detail: SessionDetail };

/** 'control' done: who answered (RFC 2637 §2.2 Start-Control-Connection-Reply). */
export function controlDoneDetail(peer: PeerInfo): SessionDetail {
  return {
    server: peer.hostName,
    vendor: peer.vendor,
    firmware: peer.firmwareRevision,
    version: `${peer.protocolVersion >> 8}.${peer.protocolVersion & 0xff}`,
  };
}

/** 'call' done: the call ids and the server's receive window (RFC 2637 §2.8 Outgoing-Call-Reply). */
export function callDoneDetail(call: CallInfo): SessionDetail {
  return { callId: call.callId, peerCallId: call.peerCallId, window: call.peerReceiveWindow };
}

/** The timeline phase of each PPP layer. */
const LAYER_PHASES: Readonly<Record<PppLayer, SessionPhase>> = { lcp: 'lcp', auth: 'auth', ccp: 'ccp', ipcp: 'ipcp' };

/** What a PPP link event means for the timeline, if anything (failures are the session's). */
export function phaseStepForLinkEvent(e: PppLinkEvent): PhaseStep | undefined {
  switch (e.type) {
    case 'layer':
      if (e.status === 'started') return { phase: LAYER_PHASES[e.layer], status: 'started' };
      // Optional MPPE given up: CCP is over, without encryption.
      return { phase: 'ccp', status: 'done', detail: { mppe: 'none' } };
    case 'lcp-up':
      return {
        phase: 'lcp',
        status: 'done',
        detail: { mru: e.mru, peerMru: e.peerMru, auth: e.auth ? AUTH_METHOD_LABELS[e.auth] : 'none', pfc: e.pfc.send, acfc: e.acfc.send },
      };
    case 'auth-success':
      return { phase: 'auth', status: 'done', detail: { method: AUTH_METHOD_LABELS[e.method], ...(e.message ? { server: e.message } : {}) } };
    case 'ccp-up':
      return {
        phase: 'ccp',
        status: 'done',
        detail: e.mppe ? { mppe: `${e.mppe.bits}-bit`, mode: e.mppe.stateful ? 'stateful' : 'stateless' } : { mppe: 'none' },
      };
    case 'ipcp-up':
      return { phase: 'ipcp', status: 'done', detail: { local: e.localIp, remote: e.remoteIp ?? 'unknown', dns: [...e.dns], mtu: e.mtu } };
    case 'phase':
    case 'failed':
    case 'link-down':
      return undefined;
  }
}

export class PhaseTimeline {
  /** Running phases and when each started, in the order they started. */
  private readonly running = new Map<SessionPhase, number>();

  constructor(private readonly push: (event: SessionEvent) => void) {}

  started(now: number, phase: SessionPhase): void {
    this.running.set(phase, now);
    this.push({ type: 'phase', phase, status: 'started', at: now });
  }

  /** A phase is done; one never started (a renegotiation) is done in 0 ms. */
  done(now: number, phase: SessionPhase, detail?: SessionDetail): void {
    const at = this.running.get(phase) ?? now;
    this.running.delete(phase);
    this.push({ type: 'phase', phase, status: 'done', at: now, durationMs: now - at, ...(detail ? { detail } : {}) });
  }

  apply(now: number, step: PhaseStep): void {
    if (step.status === 'started') this.started(now, step.phase);
    else this.done(now, step.phase, step.detail);
  }

  /** Every running phase fails with the reason, in the order they started. */
  failRunning(now: number, reason: FailureReason): void {
    for (const [phase, at] of [...this.running]) {
      this.push({ type: 'phase', phase, status: 'failed', at: now, durationMs: now - at, detail: { reason } });
      this.running.delete(phase);
    }
  }
}
