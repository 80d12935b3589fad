/**
 * The words of the PPP link's failures: turns what an automaton, the server or a deadline
 * reported into the Failure the user reads (reason, message, detail.layer). Pure: no state, no
 * clock; it decides nothing about when the link fails or what it sends (link.ts does).
 */
import { AUTH_METHOD_LABELS } from '../../../preload/vocabulary';
import type { Failure } from '../failure';
import type { AuthMethod } from '../../../preload/vocabulary';
import type { FsmCounters, FsmFinishCause } from './fsm';
import type { PppLayer } from './link-types';

/** How messages and detail.layer name each layer. */
export const LAYER_NAMES: Readonly<Record<PppLayer, string>> = { lcp: 'LCP', auth: 'Authentication', ccp: 'CCP', ipcp: 'IPCP' };

export function describeCause(layer: string, cause: FsmFinishCause): string {
  switch (cause.kind) {
    case 'no-answer':
      if (cause.state === 'req-sent') return `The server did not answer any of our ${cause.requests} ${layer} Configure-Requests.`;
      // Ack-Sent: we accepted the server's request, it never acknowledged ours.
      if (cause.state === 'ack-sent') return `The server never acknowledged our ${layer} Configure-Request (${cause.requests} sent), although we accepted its own.`;
      return `${layer} negotiation did not finish: no acceptable ${layer} Configure-Request from the server after ${cause.requests} tries.`;
    case 'peer-terminated':
      return `The server terminated ${layer}.`;
    case 'rejected':
      return `The server rejected ${layer} code ${cause.code} (Code-Reject), which ${layer} cannot work without.`;
    case 'closed':
      return `${layer} closed.`;
  }
}

function finishReason(cause: FsmFinishCause): Failure['reason'] {
  return cause.kind === 'peer-terminated' ? 'peer-disconnected' : 'negotiation-failed';
}

/** The LCP automaton finished (Closed/Stopped) with no failure recorded before. */
export function lcpFinishedFailure(cause: FsmFinishCause, framesReceived: number, codeRejectsSent: number): Failure {
  let message = describeCause('LCP', cause);
  if (cause.kind === 'no-answer' && framesReceived === 0) message += ' No PPP frame arrived from the server at all.';
  if (codeRejectsSent > 0) message += ` ${codeRejectsSent} LCP packets with unknown codes were Code-Rejected.`;
  const detail: Record<string, string | number> = { layer: 'LCP', framesReceived };
  return { reason: finishReason(cause), message, detail };
}

/** An NCP finished after it had started. Even when the server ended only the NCP, LCP is closed. */
export function ncpFinishedFailure(layer: 'IPCP', cause: FsmFinishCause): Failure {
  return { reason: finishReason(cause), message: describeCause(layer, cause), detail: { layer } };
}

/** CCP ended while MPPE is required. */
export function ccpEndedFailure(cause: FsmFinishCause): Failure {
  return { reason: 'encryption-refused', message: `CCP (MPPE) ended: ${describeCause('CCP', cause)}`, detail: { layer: 'CCP' } };
}

/** MPPE is required but the method the server chose yields no MPPE keys. */
export function noMppeKeysFailure(method: AuthMethod | null): Failure {
  const how = method ? `with ${AUTH_METHOD_LABELS[method]}` : 'without authentication';
  return {
    reason: 'encryption-refused',
    message: `The server authenticated us ${how}, which yields no MPPE keys; this profile requires encryption (use MS-CHAPv2).`,
    detail: { layer: 'CCP', auth: method ?? 'none' },
  };
}

export const CCP_PROTOCOL_REJECTED: Failure = {
  reason: 'encryption-refused',
  message: 'The server does not run CCP (Protocol-Reject), so MPPE encryption cannot be used.',
  detail: { layer: 'CCP' },
};

export const IPCP_PROTOCOL_REJECTED: Failure = {
  reason: 'negotiation-failed',
  message: 'The server does not run IPCP (Protocol-Reject): no IPv4 in this tunnel.',
  detail: { layer: 'IPCP' },
};

export const LCP_RENEGOTIATED: Failure = {
  reason: 'peer-disconnected',
  message: 'The server restarted LCP negotiation; the link must be set up again.',
  detail: { layer: 'LCP' },
};

/**
 * The server sent an LCP Terminate-Request (and no refusal of ours explains it: the sequencer
 * reports that instead, refusal.ts).
 */
export function peerTerminateFailure(text: string): Failure {
  const said = text ? ` (server said: "${text}")` : '';
  return { reason: 'peer-disconnected', message: `The server ended the PPP link${said}.`, detail: { layer: 'LCP' } };
}

/**
 * The server Protocol-Rejected our data once it was flowing (RFC 1661 §5.7): MPPE-encrypted
 * datagrams (0x00FD, RFC 3078 §3) after CCP opened, or plain IP (0x0021) after IPCP opened.
 * That direction is dead: the server's encryption or IP side did not start.
 */
export function dataPathRejectedFailure(what: 'mppe' | 'ip'): Failure {
  if (what === 'mppe') {
    return {
      reason: 'data-path-dead',
      message:
        'The server answers our encrypted data with an LCP Protocol-Reject of MPPE (0x00FD): encryption was agreed in CCP, but the server cannot decrypt, so nothing we send reaches it.',
      detail: { layer: 'CCP', protocol: '0x00fd' },
    };
  }
  return {
    reason: 'data-path-dead',
    message: 'The server answers our IP packets with an LCP Protocol-Reject of IP (0x0021) although IPCP is up: its IP side is not running, so nothing we send reaches it.',
    detail: { layer: 'IPCP', protocol: '0x0021' },
  };
}

/** What the automaton of a layer that ran out of time saw, to say why in the message. */
export interface DeadlineEvidence {
  readonly counters: Pick<FsmCounters, 'malformed' | 'codeRejectsSent' | 'received'>;
  readonly lastMalformedMessage: string | undefined;
}

/**
 * A layer did not finish within its deadline. `evidence` is undefined for authentication (the
 * methods keep their own counters); `encryptionRequired` makes a CCP deadline 'encryption-refused'.
 */
export function deadlineFailure(
  deadline: PppLayer,
  seconds: number,
  evidence: DeadlineEvidence | undefined,
  encryptionRequired: boolean,
): Failure {
  const layer = LAYER_NAMES[deadline];
  let message = `${layer} did not complete within ${seconds} s.`;
  if (evidence) {
    const c = evidence.counters;
    if (c.malformed > 0) message += ` ${c.malformed} malformed ${layer} packets were dropped (last: ${evidence.lastMalformedMessage ?? 'unknown'}).`;
    if (c.codeRejectsSent > 0) message += ` ${c.codeRejectsSent} packets with unknown codes were Code-Rejected.`;
    if (c.received === 0) message += ` The server sent no ${layer} packet.`;
  }
  // An authentication that never completed got no refusal: 'auth-failed' ("check the password",
  // never retried) is kept for a server that said no.
  const reason = deadline === 'ccp' && encryptionRequired ? 'encryption-refused' : 'negotiation-failed';
  return { reason, message, detail: { layer } };
}
