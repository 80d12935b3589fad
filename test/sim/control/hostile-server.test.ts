/**
 * Whole control conversations against servers that refuse, stay silent, send garbage, break
 * lengths, hang up mid-call or send what they should not, on a virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { ControlConnection } from '../../../main/engine/control/connection';
import { encodeControlMessage } from '../../../main/engine/control/encode';
import type { ControlConnectionConfig } from '../../../main/engine/control/events';
import { seededRandom } from '../../../main/engine/random';
import { fromHex, writeU16, writeU32 } from '../../../main/engine/wire/bytes';
import { ControlPair } from '../support/control-pair';
import { ControlServer, type ControlServerScript } from '../support/control-server';

function setup(script: ControlServerScript = {}, config: Partial<ControlConnectionConfig> = {}) {
  const client = new ControlConnection({ random: seededRandom(1723), ...config });
  const server = new ControlServer(script);
  const pair = new ControlPair(client, server);
  pair.connect();
  return { pair, client, server };
}

function failureOf(pair: ControlPair) {
  const closed = pair.eventsOf('closed');
  expect(closed).toHaveLength(1);
  return closed[0]!.failure;
}

describe('a server that refuses', () => {
  it('refuses the control connection: control-refused in words, no call attempted', () => {
    const { pair, server } = setup({ startReply: { resultCode: 4 } });
    pair.drive();
    const f = failureOf(pair);
    expect(f?.reason).toBe('control-refused');
    expect(f?.message).toBe('The server refused the PPTP control connection: the requester is not authorized.');
    expect(server.receivedKinds).toEqual(['StartControlConnectionRequest']);
  });

  it('refuses with a general error: the general error code is in the words too', () => {
    const { pair } = setup({ startReply: { resultCode: 2, errorCode: 4 } });
    pair.drive();
    expect(failureOf(pair)?.message).toContain('general error: no resource');
  });

  it.each([
    [3, 'no carrier'],
    [4, 'busy'],
    [5, 'no dial tone'],
    [6, 'time-out'],
    [7, 'do not accept'],
  ])('refuses the call with result %i: control-refused "%s", control connection stopped', (resultCode, words) => {
    const { pair, client, server } = setup({ callReply: { resultCode } });
    pair.drive();
    const f = failureOf(pair);
    expect(f?.reason).toBe('control-refused');
    expect(f?.message).toContain(words);
    expect(server.receivedKinds.at(-1)).toBe('StopControlConnectionRequest');
    expect(client.call).toBeUndefined();
  });
});

describe('a silent server', () => {
  it('never answers SCCRQ: protocol-error after the reply timeout', () => {
    const { pair } = setup({ startReply: 'silent' });
    pair.drive();
    expect(pair.closedAt).toBe(30_000);
    expect(failureOf(pair)?.reason).toBe('protocol-error');
  });

  it('never answers OCRQ: protocol-error, after a Stop-Control-Connection-Request', () => {
    const { pair, server } = setup({ callReply: 'silent' }, { replyTimeoutMs: 10_000 });
    pair.drive();
    expect(failureOf(pair)?.message).toContain('Outgoing-Call-Request within 10 s');
    expect(server.receivedKinds.at(-1)).toBe('StopControlConnectionRequest');
  });

  it('goes quiet mid-call: keepalive-timeout two minutes after the last message', () => {
    const { pair, client } = setup({ answerEchoes: false });
    pair.drive(100);
    expect(client.state).toBe('established');
    pair.drive();
    expect(failureOf(pair)?.reason).toBe('keepalive-timeout');
    // last message received at t=20; echo at +60 s; failure at +120 s
    expect(pair.closedAt).toBe(20 + 120_000);
  });

  it('honours configured keepalive times', () => {
    const { pair } = setup({ answerEchoes: false }, { echoIdleMs: 5_000, echoReplyTimeoutMs: 2_000 });
    pair.drive();
    expect(pair.closedAt).toBe(20 + 7_000);
    expect(failureOf(pair)?.reason).toBe('keepalive-timeout');
  });

  it('ignores Call-Clear-Request and Stop-Control-Connection-Request: teardown still ends', () => {
    const { pair, client } = setup({ onCallClear: 'silent', onStopRequest: 'silent' });
    pair.settle();
    const t0 = pair.now;
    client.hangUp(t0);
    pair.drive();
    expect(pair.closedAt).toBe(t0 + 10_000);
    expect(failureOf(pair)).toBeUndefined();
  });
});

describe('a server that sends garbage or broken messages', () => {
  it('greets with garbage: protocol-error (this is not a PPTP server)', () => {
    const { pair } = setup({ greeting: new TextEncoder().encode('SSH-2.0-OpenSSH_9.2\r\n') });
    pair.drive();
    const f = failureOf(pair);
    expect(f?.reason).toBe('protocol-error');
    expect(f?.detail).toMatchObject({ wireError: 'bad-magic' });
  });

  it('sends every message with a wrong length: protocol-error', () => {
    const { pair } = setup({
      mangle: (bytes) => {
        const longer = new Uint8Array(bytes.length + 4);
        longer.set(bytes);
        writeU16(longer, 0, bytes.length + 4);
        return longer;
      },
    });
    pair.drive();
    expect(failureOf(pair)?.detail).toMatchObject({ wireError: 'bad-length' });
  });

  it('sends a bad magic cookie: protocol-error', () => {
    const { pair } = setup({
      mangle: (bytes) => {
        const copy = bytes.slice();
        writeU32(copy, 4, 0x1a2b3c4e);
        return copy;
      },
    });
    pair.drive();
    expect(failureOf(pair)?.detail).toMatchObject({ wireError: 'bad-magic' });
  });

  it('sends a huge length field: protocol-error without buffering it', () => {
    const { pair } = setup({ after: { OutgoingCallRequest: [fromHex('ffff 0001 1a2b3c4d 0005 0000')] } });
    pair.drive();
    expect(failureOf(pair)?.detail).toMatchObject({ wireError: 'too-large' });
  });

  it('sends an unknown control message type mid-call: ignored, the call survives', () => {
    const { pair, client } = setup({ after: { OutgoingCallRequest: [fromHex('0010 0001 1a2b3c4d 0063 0000 00000000')] } });
    pair.settle();
    expect(client.state).toBe('established');
    expect(pair.eventsOf('ignored')).toMatchObject([{ cause: 'malformed', error: { code: 'unknown-type' } }]);
  });

  it('closes TCP in the middle of a message: peer-disconnected', () => {
    const { pair, client, server } = setup();
    pair.settle();
    server.sendRaw(encodeControlMessage({ kind: 'EchoRequest', identifier: 1 }).subarray(0, 9));
    server.closeTransport();
    pair.drive();
    expect(client.state).toBe('closed');
    expect(failureOf(pair)?.reason).toBe('peer-disconnected');
  });
});

describe('a server that sends what it should not', () => {
  it('sends unexpected messages before its OCRP: ignored and counted, the call still connects', () => {
    const { pair, client } = setup({
      after: {
        OutgoingCallRequest: [
          { kind: 'IncomingCallConnected', peerCallId: 1, connectSpeed: 1, receiveWindowSize: 1, transmitDelay: 0, framingType: 1 },
          { kind: 'StartControlConnectionReply', protocolVersion: 0x100, resultCode: 1, errorCode: 0, framingCapabilities: 0, bearerCapabilities: 0, maximumChannels: 1, firmwareRevision: 1, hostName: '', vendorString: '' },
          { kind: 'StopControlConnectionReply', resultCode: 1, errorCode: 0 },
          { kind: 'EchoReply', identifier: 12345, resultCode: 1, errorCode: 0 },
        ],
      },
    });
    pair.settle();
    expect(client.state).toBe('established');
    expect(pair.eventsOf('ignored').map((e) => e.cause)).toEqual(['unexpected', 'unexpected', 'unexpected', 'unknown-echo-id']);
    expect(client.counters.unexpected).toBe(3);
  });

  it('asks the client to place or accept calls: refused politely, the call survives', () => {
    const { pair, client, server } = setup();
    pair.settle();
    server.send({ kind: 'OutgoingCallRequest', callId: 9, callSerialNumber: 1, minimumBps: 1, maximumBps: 2, bearerType: 1, framingType: 1, receiveWindowSize: 1, processingDelay: 0, phoneNumber: '911', subaddress: '' });
    server.send({ kind: 'IncomingCallRequest', callId: 10, callSerialNumber: 2, bearerType: 1, physicalChannelId: 0, dialedNumber: '', dialingNumber: '', subaddress: '' });
    pair.settle();
    expect(client.state).toBe('established');
    const replies = server.received.slice(-2);
    expect(replies).toMatchObject([
      { kind: 'OutgoingCallReply', peerCallId: 9, resultCode: 7 },
      { kind: 'IncomingCallReply', peerCallId: 10, resultCode: 3 },
    ]);
  });

  it('reports WAN errors as events with their counters', () => {
    const { pair, client, server } = setup();
    pair.settle();
    server.send({ kind: 'WanErrorNotify', peerCallId: client.callId, crcErrors: 3, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 1, timeoutErrors: 0, alignmentErrors: 0 });
    pair.settle();
    expect(pair.eventsOf('wan-error')).toMatchObject([{ count: 1, errors: { crcErrors: 3, bufferOverruns: 1 } }]);
  });

  it('sends messages for someone else’s call: ignored', () => {
    const { pair, client, server } = setup();
    pair.settle();
    server.send({ kind: 'CallDisconnectNotify', callId: 4242, resultCode: 1, errorCode: 0, causeCode: 0, callStatistics: '' });
    server.send({ kind: 'SetLinkInfo', peerCallId: 4242, sendAccm: 1, receiveAccm: 1 });
    pair.settle();
    expect(client.state).toBe('established');
    expect(client.counters.wrongCallId).toBe(2);
  });
});

describe('a server that hangs up mid-call', () => {
  it('sends Call-Disconnect-Notify: call-disconnected, then a graceful stop, peer-disconnected in words', () => {
    const { pair, client, server } = setup();
    pair.settle();
    server.disconnectCall(1);
    pair.drive();
    expect(pair.eventsOf('call-disconnected')).toMatchObject([{ resultCode: 1, words: 'lost carrier' }]);
    expect(server.receivedKinds.at(-1)).toBe('StopControlConnectionRequest');
    const f = failureOf(pair);
    expect(f?.reason).toBe('peer-disconnected');
    expect(f?.message).toBe('The server disconnected the call: lost carrier.');
    expect(client.state).toBe('closed');
  });

  it('sends Stop-Control-Connection-Request: the client replies and closes, peer-disconnected', () => {
    const { pair, server } = setup();
    pair.settle();
    server.stopControl(3);
    pair.drive();
    expect(server.receivedKinds.at(-1)).toBe('StopControlConnectionReply');
    const f = failureOf(pair);
    expect(f?.reason).toBe('peer-disconnected');
    expect(f?.message).toContain('local shutdown');
  });

  it('closes TCP: peer-disconnected', () => {
    const { pair, server } = setup();
    pair.settle();
    server.closeTransport();
    pair.drive();
    expect(failureOf(pair)?.reason).toBe('peer-disconnected');
  });

  it('hangs up while the client is hanging up too: still one clean close', () => {
    const { pair, client, server } = setup({ onCallClear: 'silent' });
    pair.settle();
    client.hangUp(pair.now);
    server.disconnectCall(4);
    pair.drive();
    expect(pair.eventsOf('closed')).toEqual([{ type: 'closed' }]);
  });
});
