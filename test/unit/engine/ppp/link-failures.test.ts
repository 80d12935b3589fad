import { describe, expect, it } from 'vitest';
import {
  dataPathRejectedFailure,
  deadlineFailure,
  describeCause,
  lcpFinishedFailure,
  noMppeKeysFailure,
  peerTerminateFailure,
} from '../../../../main/engine/ppp/link-failures';

const NO_EVIDENCE = { counters: { malformed: 0, codeRejectsSent: 0, received: 1 }, lastMalformedMessage: undefined };

describe('link failure words', () => {
  it('describes each way an automaton finishes', () => {
    expect(describeCause('IPCP', { kind: 'no-answer', state: 'req-sent', requests: 10 })).toBe('The server did not answer any of our 10 IPCP Configure-Requests.');
    expect(describeCause('LCP', { kind: 'peer-terminated' })).toBe('The server terminated LCP.');
  });

  it('names the method without MPPE keys by its one label', () => {
    expect(noMppeKeysFailure('mschap')).toMatchObject({ reason: 'encryption-refused', detail: { layer: 'CCP', auth: 'mschap' } });
    expect(noMppeKeysFailure('chap').message).toContain('with CHAP-MD5,');
    expect(noMppeKeysFailure(null).message).toContain('without authentication');
  });

  it('an LCP that heard nothing says so', () => {
    const f = lcpFinishedFailure({ kind: 'no-answer', state: 'req-sent', requests: 10 }, 0, 2);
    expect(f.reason).toBe('negotiation-failed');
    expect(f.message).toMatch(/No PPP frame arrived from the server at all\. 2 LCP packets with unknown codes were Code-Rejected\.$/);
    expect(f.detail).toEqual({ layer: 'LCP', framesReceived: 0 });
  });

  it('a Terminate-Request is peer-disconnected, with the server\'s words when it gave any', () => {
    expect(peerTerminateFailure('bye')).toEqual({ reason: 'peer-disconnected', message: 'The server ended the PPP link (server said: "bye").', detail: { layer: 'LCP' } });
    expect(peerTerminateFailure('')).toEqual({ reason: 'peer-disconnected', message: 'The server ended the PPP link.', detail: { layer: 'LCP' } });
  });

  it('a Protocol-Reject of our data is data-path-dead, naming MPPE or IP', () => {
    const mppe = dataPathRejectedFailure('mppe');
    expect(mppe.reason).toBe('data-path-dead');
    expect(mppe.message).toMatch(/Protocol-Reject of MPPE \(0x00FD\)/);
    expect(mppe.detail).toEqual({ layer: 'CCP', protocol: '0x00fd' });
    const ip = dataPathRejectedFailure('ip');
    expect(ip.reason).toBe('data-path-dead');
    expect(ip.message).toMatch(/Protocol-Reject of IP \(0x0021\) although IPCP is up/);
    expect(ip.detail).toEqual({ layer: 'IPCP', protocol: '0x0021' });
  });

  it('deadlines: encryption-refused for a required CCP, else negotiation-failed (an unanswered authentication is no refusal)', () => {
    expect(deadlineFailure('auth', 60, undefined, true)).toEqual({ reason: 'negotiation-failed', message: 'Authentication did not complete within 60 s.', detail: { layer: 'Authentication' } });
    expect(deadlineFailure('ccp', 33, NO_EVIDENCE, true).reason).toBe('encryption-refused');
    expect(deadlineFailure('ccp', 33, NO_EVIDENCE, false).reason).toBe('negotiation-failed');
    const silent = deadlineFailure('ipcp', 33, { counters: { malformed: 1, codeRejectsSent: 0, received: 0 }, lastMalformedMessage: 'short' }, false);
    expect(silent.message).toBe('IPCP did not complete within 33 s. 1 malformed IPCP packets were dropped (last: short). The server sent no IPCP packet.');
  });
});
