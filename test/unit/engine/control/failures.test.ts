import { describe, expect, it } from 'vitest';
import {
  callClearedByServer,
  callDisconnected,
  callRefused,
  controlRefused,
  controlStoppedByServer,
  echoTimedOut,
  malformedStream,
  replyTimedOut,
  transportClosed,
  transportCloseOf,
  unsupportedVersion,
} from '../../../../main/engine/control/failures';
import type {
  CallDisconnectNotify,
  OutgoingCallReply,
  StartControlConnectionReply,
} from '../../../../main/engine/control/messages';

const sccrp = (resultCode: number, errorCode: number): StartControlConnectionReply => ({
  kind: 'StartControlConnectionReply',
  protocolVersion: 0x0100,
  resultCode,
  errorCode,
  framingCapabilities: 3,
  bearerCapabilities: 3,
  maximumChannels: 0,
  firmwareRevision: 1,
  hostName: 'pac',
  vendorString: 'v',
});

describe('control connection failures in words', () => {
  it('SCCRP refusal: control-refused with result and general error in words (RFC 2637 §2.2, §2.16)', () => {
    expect(controlRefused(sccrp(2, 5))).toEqual({
      reason: 'control-refused',
      message: 'The server refused the PPTP control connection: general error: bad call ID (the call ID is invalid in this context).',
      detail: { message: 'StartControlConnectionReply', resultCode: 2, errorCode: 5 },
    });
  });

  it('protocol version other than 1.x is a protocol-error naming the version', () => {
    expect(unsupportedVersion(0x0200)).toEqual({
      reason: 'protocol-error',
      message: 'The server answered with PPTP protocol version 0x200, not 1.x.',
      detail: { protocolVersion: 0x0200 },
    });
  });

  it('OCRP refusal: control-refused with the result in words and the cause code (RFC 2637 §2.8)', () => {
    const ocrp = { resultCode: 4, errorCode: 0, causeCode: 17 } as OutgoingCallReply;
    expect(callRefused(ocrp)).toEqual({
      reason: 'control-refused',
      message: 'The server refused the call: busy.',
      detail: { message: 'OutgoingCallReply', resultCode: 4, errorCode: 0, causeCode: 17 },
    });
  });

  it('Call-Disconnect-Notify and Call-Clear-Request from the server are peer-disconnected', () => {
    const cdn = { resultCode: 3, errorCode: 0, causeCode: 0 } as CallDisconnectNotify;
    expect(callDisconnected(cdn, 'administrative shutdown')).toMatchObject({
      reason: 'peer-disconnected',
      message: 'The server disconnected the call: administrative shutdown.',
    });
    expect(callClearedByServer()).toEqual({
      reason: 'peer-disconnected',
      message: 'The server disconnected the call: the server asked to clear the call.',
      detail: { message: 'CallClearRequest' },
    });
  });

  it('Stop-Control-Connection-Request from the server names its reason (RFC 2637 §2.3)', () => {
    expect(controlStoppedByServer({ kind: 'StopControlConnectionRequest', reason: 3 })).toEqual({
      reason: 'peer-disconnected',
      message: 'The server closed the PPTP control connection: local shutdown.',
      detail: { message: 'StopControlConnectionRequest', reason: 3 },
    });
  });

  it.each([
    ['StartControlConnectionReply', 'Start-Control-Connection-Request'],
    ['OutgoingCallReply', 'Outgoing-Call-Request'],
  ] as const)('no %s in time: protocol-error naming our request and the seconds', (waitingFor, request) => {
    expect(replyTimedOut(waitingFor, 30_000)).toEqual({
      reason: 'protocol-error',
      message: `The server did not answer the ${request} within 30 s.`,
      detail: { waitingFor, timeoutMs: 30_000 },
    });
  });

  it('an unanswered Echo-Request is keepalive-timeout (RFC 2637 §3.1.4)', () => {
    expect(echoTimedOut('established', 60_000)).toEqual({
      reason: 'keepalive-timeout',
      message: 'The server did not answer a PPTP Echo-Request within 60 s.',
      detail: { state: 'established', timeoutMs: 60_000 },
    });
  });

  it('a broken stream and a TCP close', () => {
    expect(malformedStream('wait-ocrp', { code: 'bad-magic', message: 'no cookie' })).toEqual({
      reason: 'protocol-error',
      message: 'The server sent malformed PPTP control data (no cookie).',
      detail: { state: 'wait-ocrp', wireError: 'bad-magic' },
    });
    expect(transportClosed('established')).toEqual({
      reason: 'peer-disconnected',
      message: 'The server closed the PPTP control connection (TCP).',
      detail: { state: 'established', tcp: 'fin' },
    });
  });

  it('a RST is not the server closing, nor is an error on our side; the reason stays peer-disconnected', () => {
    expect(transportClosed('established', { kind: 'reset' })).toEqual({
      reason: 'peer-disconnected',
      message: "The connection to the server was reset (a firewall or the server's side dropped it).",
      detail: { state: 'established', tcp: 'reset' },
    });
    expect(transportClosed('wait-ocrp', { kind: 'error', code: 'ETIMEDOUT' })).toEqual({
      reason: 'peer-disconnected',
      message: 'The PPTP control connection (TCP) was lost on this side (ETIMEDOUT).',
      detail: { state: 'wait-ocrp', tcp: 'error', code: 'ETIMEDOUT' },
    });
  });

  it('a socket error tells a RST from a FIN', () => {
    expect(transportCloseOf(undefined)).toEqual({ kind: 'fin' });
    expect(transportCloseOf({ code: 'ECONNRESET' })).toEqual({ kind: 'reset' });
    expect(transportCloseOf({ code: 'EPIPE' })).toEqual({ kind: 'error', code: 'EPIPE' });
    expect(transportCloseOf({})).toEqual({ kind: 'error', code: 'unknown' });
  });
});
