import { describe, expect, it } from 'vitest';
import {
  describeResult,
  generalErrorWords,
  isResultBearingKind,
  resultCodeWords,
  stopReasonWords,
} from '../../../../main/engine/control/codes';

describe('result codes in words', () => {
  it('names every Outgoing-Call-Reply result (RFC 2637 §2.8)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((c) => resultCodeWords('OutgoingCallReply', c))).toEqual([
      'connected',
      'general error',
      'no carrier',
      'busy',
      'no dial tone',
      'time-out',
      'do not accept (the call was refused)',
    ]);
  });

  it('names the Start-Control-Connection-Reply results (RFC 2637 §2.2)', () => {
    expect(resultCodeWords('StartControlConnectionReply', 1)).toBe('success');
    expect(resultCodeWords('StartControlConnectionReply', 4)).toBe('the requester is not authorized');
    expect(resultCodeWords('StartControlConnectionReply', 5)).toContain('protocol version');
  });

  it('names the Call-Disconnect-Notify results (RFC 2637 §2.13)', () => {
    expect(resultCodeWords('CallDisconnectNotify', 1)).toBe('lost carrier');
    expect(resultCodeWords('CallDisconnectNotify', 3)).toBe('administrative shutdown');
  });

  it('names the Stop/Echo/Incoming-Call-Reply results', () => {
    expect(resultCodeWords('StopControlConnectionReply', 1)).toBe('OK');
    expect(resultCodeWords('EchoReply', 2)).toBe('general error');
    expect(resultCodeWords('IncomingCallReply', 3)).toBe('do not accept');
  });

  it('names unknown result codes instead of failing', () => {
    expect(resultCodeWords('OutgoingCallReply', 0)).toBe('unknown result code 0');
    expect(resultCodeWords('StartControlConnectionReply', 200)).toBe('unknown result code 200');
  });
});

describe('general error codes in words (RFC 2637 §2.16)', () => {
  it('names 0..6 and says when a code is unknown', () => {
    const words = [0, 1, 2, 3, 4, 5, 6].map(generalErrorWords);
    expect(words[0]).toBe('no general error');
    expect(words[1]).toMatch(/^not connected/);
    expect(words[2]).toMatch(/^bad format/);
    expect(words[3]).toMatch(/^bad value/);
    expect(words[4]).toMatch(/^no resource/);
    expect(words[5]).toMatch(/^bad call ID/);
    expect(words[6]).toMatch(/^PAC error/);
    expect(new Set(words).size).toBe(7);
    expect(generalErrorWords(7)).toBe('unknown general error code 7');
  });
});

describe('describeResult', () => {
  it('gives the result alone when there is no general error', () => {
    expect(describeResult('OutgoingCallReply', 4, 0)).toBe('busy');
  });
  it('adds the general error when there is one', () => {
    expect(describeResult('StartControlConnectionReply', 2, 4)).toBe(
      'general error: no resource (the server lacks resources to handle the command)',
    );
  });
});

describe('stop reasons and kinds', () => {
  it('names Stop-Control-Connection-Request reasons (RFC 2637 §2.3)', () => {
    expect(stopReasonWords(3)).toBe('local shutdown');
    expect(stopReasonWords(9)).toBe('unknown reason 9');
  });
  it('knows which messages carry a result code', () => {
    expect(isResultBearingKind('OutgoingCallReply')).toBe(true);
    expect(isResultBearingKind('EchoRequest')).toBe(false);
  });
});
