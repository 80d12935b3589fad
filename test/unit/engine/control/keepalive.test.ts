import { describe, expect, it } from 'vitest';
import { resolveControlConfig } from '../../../../main/engine/control/connection-config';
import { ControlCore } from '../../../../main/engine/control/connection-core';
import { decodeControlMessage } from '../../../../main/engine/control/decode';
import { ControlKeepalive } from '../../../../main/engine/control/keepalive';
import { seededRandom } from '../../../../main/engine/random';

function setup(state: ControlCore['state'] = 'established') {
  const random = seededRandom(3);
  const core = new ControlCore(resolveControlConfig({ random, echoIdleMs: 1000, echoReplyTimeoutMs: 500 }), random);
  core.state = state;
  return { core, keepalive: new ControlKeepalive(core, 0xffffffff) };
}

const sentKinds = (core: ControlCore) =>
  core.transmitQueue.map((b) => {
    const d = decodeControlMessage(b);
    return d.ok ? d.value : undefined;
  });

describe('PPTP control keepalive (RFC 2637 §3.1.4)', () => {
  it('answers an Echo-Request with the same identifier, result OK', () => {
    const { core, keepalive } = setup('wait-stopccrp');
    keepalive.answerRequest({ kind: 'EchoRequest', identifier: 42 });
    expect(sentKinds(core)).toEqual([{ kind: 'EchoReply', identifier: 42, resultCode: 1, errorCode: 0 }]);
    expect(core.stats.echoRequestsAnswered).toBe(1);
  });

  it('sends Echo-Requests with consecutive identifiers (wrapping at 32 bits) and reports the RTT', () => {
    const { core, keepalive } = setup();
    keepalive.onIdle(100);
    expect(core.timers.get('echo-reply')).toBe(600);
    keepalive.handleReply(130, { kind: 'EchoReply', identifier: 0xffffffff, resultCode: 1, errorCode: 0 });
    expect(core.eventQueue).toEqual([{ type: 'echo-rtt', rttMs: 30 }]);
    keepalive.onIdle(2000);
    expect(sentKinds(core).map((m) => m?.kind === 'EchoRequest' && m.identifier)).toEqual([0xffffffff, 0]);
  });

  it('ignores a reply it is not waiting for', () => {
    const { core, keepalive } = setup();
    keepalive.handleReply(0, { kind: 'EchoReply', identifier: 7, resultCode: 1, errorCode: 0 });
    expect(core.eventQueue).toMatchObject([{ type: 'ignored', cause: 'unknown-echo-id' }]);
  });

  it('sends nothing outside wait-ocrp and established', () => {
    const { core, keepalive } = setup('wait-cdn');
    keepalive.onIdle(0);
    expect(core.transmitQueue).toEqual([]);
  });

  it('any message re-arms the idle timer and cancels the reply timer', () => {
    const { core, keepalive } = setup();
    keepalive.onIdle(0);
    keepalive.noteLiveness(200);
    expect(core.timers.isArmed('echo-reply')).toBe(false);
    expect(core.timers.get('echo-idle')).toBe(1200);
  });

  it('an unanswered Echo-Request closes with keepalive-timeout', () => {
    const { core, keepalive } = setup();
    keepalive.onReplyTimeout();
    expect(core.state).toBe('closed');
    expect(core.closeFailure).toMatchObject({ reason: 'keepalive-timeout' });
  });
});
