import { describe, expect, it } from 'vitest';
import { ControlConnection } from '../../../../main/engine/control/connection';
import { decodeControlMessage } from '../../../../main/engine/control/decode';
import { encodeControlMessage } from '../../../../main/engine/control/encode';
import type { ControlConnectionConfig, ControlEvent, ControlState } from '../../../../main/engine/control/events';
import type {
  ControlMessage,
  ControlMessageOf,
  OutgoingCallRequest,
  StartControlConnectionReply,
  OutgoingCallReply,
} from '../../../../main/engine/control/messages';
import { seededRandom } from '../../../../main/engine/random';
import { fromHex, writeU16 } from '../../../../main/engine/wire/bytes';

// ---- helpers ---------------------------------------------------------------------------

function sent(c: ControlConnection): ControlMessage[] {
  const out: ControlMessage[] = [];
  for (let b = c.pollTransmit(); b; b = c.pollTransmit()) {
    const r = decodeControlMessage(b);
    if (!r.ok) throw new Error(`client sent undecodable bytes: ${r.error.message}`);
    out.push(r.value);
  }
  return out;
}

function events(c: ControlConnection): ControlEvent[] {
  const out: ControlEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

function only<K extends ControlMessage['kind']>(msgs: ControlMessage[], kind: K): ControlMessageOf<K> {
  expect(msgs.map((m) => m.kind)).toEqual([kind]);
  return msgs[0] as ControlMessageOf<K>;
}

function closedEvent(evs: ControlEvent[]): Extract<ControlEvent, { type: 'closed' }> {
  const closed = evs.filter((e): e is Extract<ControlEvent, { type: 'closed' }> => e.type === 'closed');
  expect(closed).toHaveLength(1);
  return closed[0]!;
}

const wire = encodeControlMessage;

function sccrp(over: Partial<StartControlConnectionReply> = {}): Uint8Array {
  return wire({
    kind: 'StartControlConnectionReply',
    protocolVersion: 0x0100,
    resultCode: 1,
    errorCode: 0,
    framingCapabilities: 0,
    bearerCapabilities: 0,
    maximumChannels: 1,
    firmwareRevision: 1,
    hostName: 'local',
    vendorString: 'linux',
    ...over,
  });
}

const SERVER_CALL_ID = 128;

function ocrp(c: ControlConnection, over: Partial<OutgoingCallReply> = {}): Uint8Array {
  return wire({
    kind: 'OutgoingCallReply',
    callId: SERVER_CALL_ID,
    peerCallId: c.callId,
    resultCode: 1,
    errorCode: 0,
    causeCode: 0,
    connectSpeed: 10_000_000,
    receiveWindowSize: 64,
    processingDelay: 0,
    physicalChannelId: 0,
    ...over,
  });
}

const echoRequest = (identifier: number) => wire({ kind: 'EchoRequest', identifier });
const stopRequest = (reason = 1) => wire({ kind: 'StopControlConnectionRequest', reason });
const stopReply = () => wire({ kind: 'StopControlConnectionReply', resultCode: 1, errorCode: 0 });
const cdn = (callId: number, resultCode = 3, errorCode = 0) =>
  wire({ kind: 'CallDisconnectNotify', callId, resultCode, errorCode, causeCode: 0, callStatistics: '' });
const garbage = () => fromHex('47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a');

// ---- one fixture per state ---------------------------------------------------------------

function idle(config: Partial<ControlConnectionConfig> = {}): ControlConnection {
  return new ControlConnection({ random: seededRandom(7), ...config });
}

function waitSccrp(config: Partial<ControlConnectionConfig> = {}): ControlConnection {
  const c = idle(config);
  c.start(0);
  sent(c);
  events(c);
  return c;
}

/** Control connection up at t=10; the OCRQ is returned too. */
function waitOcrp(config: Partial<ControlConnectionConfig> = {}): { c: ControlConnection; ocrq: OutgoingCallRequest } {
  const c = waitSccrp(config);
  c.handleBytes(10, sccrp());
  const ocrq = only(sent(c), 'OutgoingCallRequest');
  events(c);
  return { c, ocrq };
}

/** Call up at t=20. */
function established(config: Partial<ControlConnectionConfig> = {}): ControlConnection {
  const { c } = waitOcrp(config);
  c.handleBytes(20, ocrp(c));
  sent(c);
  events(c);
  expect(c.state).toBe('established');
  return c;
}

/** We hung up at t=30. */
function waitCdn(): ControlConnection {
  const c = established();
  c.hangUp(30);
  sent(c);
  events(c);
  expect(c.state).toBe('wait-cdn');
  return c;
}

/** We closed gracefully at t=30. */
function waitStopccrp(): ControlConnection {
  const c = established();
  c.close(30, { graceful: true });
  sent(c);
  events(c);
  expect(c.state).toBe('wait-stopccrp');
  return c;
}

function closed(): ControlConnection {
  const c = established();
  c.close(30, { graceful: false });
  sent(c);
  events(c);
  return c;
}

const OPEN_FIXTURES: readonly [ControlState, () => ControlConnection][] = [
  ['idle', () => idle()],
  ['wait-sccrp', () => waitSccrp()],
  ['wait-ocrp', () => waitOcrp().c],
  ['established', established],
  ['wait-cdn', waitCdn],
  ['wait-stopccrp', waitStopccrp],
];

// ---- idle --------------------------------------------------------------------------------

describe('idle', () => {
  it('idle_start_sendsSccrq', () => {
    const c = idle({ hostName: 'box', vendor: 'Acme' });
    c.start(1000);
    const m = only(sent(c), 'StartControlConnectionRequest');
    expect(m).toEqual({
      kind: 'StartControlConnectionRequest',
      protocolVersion: 0x0100,
      framingCapabilities: 3,
      bearerCapabilities: 3,
      maximumChannels: 0,
      firmwareRevision: 1,
      hostName: 'box',
      vendorString: 'Acme',
    });
    expect(c.state).toBe('wait-sccrp');
    expect(c.nextTimeout()).toBe(1000 + 30_000);
  });

  it('idle_defaultsNameUsLocalAndPptpManager', () => {
    const c = idle();
    c.start(0);
    const m = only(sent(c), 'StartControlConnectionRequest');
    expect([m.hostName, m.vendorString]).toEqual(['local', 'PPTP Manager']);
  });

  it('idle_startTwice_sendsOnce', () => {
    const c = idle();
    c.start(0);
    c.start(5);
    expect(sent(c)).toHaveLength(1);
  });

  it('idle_hasNoTimer', () => {
    expect(idle().nextTimeout()).toBeUndefined();
  });
});

// ---- wait-sccrp --------------------------------------------------------------------------

describe('wait-sccrp', () => {
  it('waitSccrp_receivesAcceptance', () => {
    const c = waitSccrp();
    c.handleBytes(10, sccrp({ maximumChannels: 1, firmwareRevision: 1, hostName: 'local', vendorString: 'linux' }));
    expect(events(c)).toEqual([
      {
        type: 'control-connected',
        peer: {
          protocolVersion: 0x0100,
          framingCapabilities: 0,
          bearerCapabilities: 0,
          maximumChannels: 1,
          firmwareRevision: 1,
          hostName: 'local',
          vendor: 'linux',
        },
      },
    ]);
    const ocrq = only(sent(c), 'OutgoingCallRequest');
    expect(ocrq.callId).toBe(c.callId);
    expect(ocrq.callId).not.toBe(0);
    expect(ocrq).toMatchObject({
      receiveWindowSize: 64,
      processingDelay: 0,
      phoneNumber: '',
      subaddress: '',
      bearerType: 3,
      framingType: 3,
      minimumBps: 2400,
      maximumBps: 10_000_000,
    });
    expect(c.state).toBe('wait-ocrp');
    expect(c.peer?.vendor).toBe('linux');
    expect(c.nextTimeout()).toBe(10 + 30_000);
  });

  it('waitSccrp_receivesRefusal', () => {
    const c = waitSccrp();
    c.handleBytes(10, sccrp({ resultCode: 4 }));
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('control-refused');
    expect(ev.failure?.message).toContain('not authorized');
    expect(ev.failure?.detail).toMatchObject({ resultCode: 4, errorCode: 0 });
    expect(c.state).toBe('closed');
    expect(sent(c)).toEqual([]);
    expect(c.nextTimeout()).toBeUndefined();
  });

  it('waitSccrp_receivesGeneralErrorRefusal', () => {
    const c = waitSccrp();
    c.handleBytes(10, sccrp({ resultCode: 2, errorCode: 4 }));
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('control-refused');
    expect(ev.failure?.message).toContain('general error: no resource');
    expect(ev.failure?.detail).toMatchObject({ resultCode: 2, errorCode: 4 });
  });

  it('waitSccrp_receivesVersionRefusal', () => {
    const c = waitSccrp();
    c.handleBytes(10, sccrp({ resultCode: 5 }));
    expect(closedEvent(events(c)).failure?.message).toContain('protocol version is not supported');
  });

  it('waitSccrp_receivesAcceptanceOfAnotherVersion', () => {
    const c = waitSccrp();
    c.handleBytes(10, sccrp({ protocolVersion: 0x0200 }));
    expect(closedEvent(events(c)).failure?.reason).toBe('protocol-error');
  });

  it('waitSccrp_acceptsMinorRevision', () => {
    const c = waitSccrp();
    c.handleBytes(10, sccrp({ protocolVersion: 0x0101 }));
    expect(c.state).toBe('wait-ocrp');
  });

  it('waitSccrp_replyTimeout', () => {
    const c = waitSccrp({ replyTimeoutMs: 5000 });
    c.handleTimeout(4999);
    expect(c.state).toBe('wait-sccrp');
    c.handleTimeout(5000);
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('protocol-error');
    expect(ev.failure?.message).toContain('Start-Control-Connection-Request within 5 s');
    expect(sent(c)).toEqual([]);
  });

  it('waitSccrp_receivesGarbage', () => {
    const c = waitSccrp();
    c.handleBytes(10, garbage());
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('protocol-error');
    expect(ev.failure?.detail).toMatchObject({ wireError: 'bad-magic', state: 'wait-sccrp' });
    expect(c.counters.malformed).toBe(1);
  });

  it('waitSccrp_receivesSccrpSplitAcrossReads', () => {
    const c = waitSccrp();
    const b = sccrp();
    c.handleBytes(5, b.subarray(0, 7));
    expect(c.state).toBe('wait-sccrp');
    c.handleBytes(6, b.subarray(7, 100));
    c.handleBytes(7, b.subarray(100));
    expect(c.state).toBe('wait-ocrp');
  });

  it('waitSccrp_receivesOcrp', () => {
    const c = waitSccrp();
    c.handleBytes(10, ocrp(c));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'unexpected', kind: 'OutgoingCallReply' }]);
    expect(c.state).toBe('wait-sccrp');
    expect(c.counters.unexpected).toBe(1);
  });

  it('waitSccrp_transportClosed', () => {
    const c = waitSccrp();
    c.handleTransportClosed(10);
    expect(closedEvent(events(c)).failure).toMatchObject({ reason: 'peer-disconnected', message: 'The server closed the PPTP control connection (TCP).' });
  });

  it('established_transportReset_isNotCalledTheServerClosing', () => {
    const c = established();
    events(c);
    c.handleTransportClosed(10, { kind: 'reset' });
    const failure = closedEvent(events(c)).failure;
    expect(failure).toMatchObject({ reason: 'peer-disconnected', detail: { tcp: 'reset' } });
    expect(failure?.message).toMatch(/^The connection to the server was reset/);
    expect(failure?.message).not.toMatch(/server closed/);
  });

  it('established_transportFin_isTheServerClosing', () => {
    const c = established();
    events(c);
    c.handleTransportClosed(10, { kind: 'fin' });
    expect(closedEvent(events(c)).failure).toMatchObject({ reason: 'peer-disconnected', message: 'The server closed the PPTP control connection (TCP).', detail: { tcp: 'fin' } });
  });

  it('waitSccrp_hangUp_closesWithoutSending', () => {
    const c = waitSccrp();
    c.hangUp(10);
    expect(closedEvent(events(c)).failure).toBeUndefined();
    expect(sent(c)).toEqual([]);
  });

  it('waitSccrp_sccrpAndEchoRequestCoalesced', () => {
    const c = waitSccrp();
    const both = new Uint8Array([...sccrp(), ...echoRequest(99)]);
    c.handleBytes(10, both);
    expect(sent(c).map((m) => m.kind)).toEqual(['OutgoingCallRequest', 'EchoReply']);
  });
});

// ---- wait-ocrp ---------------------------------------------------------------------------

describe('wait-ocrp', () => {
  it('waitOcrp_receivesConnected', () => {
    const { c, ocrq } = waitOcrp();
    c.handleBytes(20, ocrp(c, { callId: 256, receiveWindowSize: 32, processingDelay: 3, connectSpeed: 64000, physicalChannelId: 9 }));
    expect(events(c)).toEqual([
      {
        type: 'call-connected',
        call: {
          callId: ocrq.callId,
          peerCallId: 256,
          callSerialNumber: ocrq.callSerialNumber,
          receiveWindow: 64,
          peerReceiveWindow: 32,
          peerProcessingDelay: 3,
          connectSpeed: 64000,
          physicalChannelId: 9,
        },
      },
    ]);
    expect(c.state).toBe('established');
    expect(c.call?.peerCallId).toBe(256);
    expect(sent(c)).toEqual([]);
  });

  it('waitOcrp_receivesServerCallIdZero', () => {
    const { c } = waitOcrp();
    c.handleBytes(20, ocrp(c, { callId: 0 }));
    expect(c.call?.peerCallId).toBe(0);
  });

  it('waitOcrp_receivesBusy', () => {
    const { c } = waitOcrp();
    c.handleBytes(20, ocrp(c, { resultCode: 4 }));
    expect(only(sent(c), 'StopControlConnectionRequest').reason).toBe(1);
    expect(c.state).toBe('wait-stopccrp');
    expect(events(c)).toEqual([]);
    c.handleBytes(25, stopReply());
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('control-refused');
    expect(ev.failure?.message).toBe('The server refused the call: busy.');
    expect(ev.failure?.detail).toMatchObject({ resultCode: 4 });
  });

  it('waitOcrp_receivesRefusalThenTransportClose', () => {
    const { c } = waitOcrp();
    c.handleBytes(20, ocrp(c, { resultCode: 2, errorCode: 6 }));
    c.handleTransportClosed(21);
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('control-refused');
    expect(ev.failure?.message).toContain('general error: PAC error');
  });

  it('waitOcrp_receivesOcrpForAnotherCall', () => {
    const { c } = waitOcrp();
    c.handleBytes(20, ocrp(c, { peerCallId: (c.callId + 1) & 0xffff }));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'wrong-call-id' }]);
    expect(c.state).toBe('wait-ocrp');
    expect(c.counters.wrongCallId).toBe(1);
  });

  it('waitOcrp_replyTimeout', () => {
    const { c } = waitOcrp();
    c.handleTimeout(10 + 30_000);
    only(sent(c), 'StopControlConnectionRequest');
    expect(c.state).toBe('wait-stopccrp');
    expect(c.nextTimeout()).toBe(10 + 30_000 + 5_000);
    c.handleTimeout(10 + 35_000);
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('protocol-error');
    expect(ev.failure?.message).toContain('Outgoing-Call-Request');
  });

  it('waitOcrp_hangUp', () => {
    const { c } = waitOcrp();
    c.hangUp(15);
    expect(only(sent(c), 'CallClearRequest').callId).toBe(c.callId);
    expect(c.state).toBe('wait-cdn');
  });

  it('waitOcrp_hangUpThenCdnFromUnknownServerCall', () => {
    const { c } = waitOcrp();
    c.hangUp(15);
    sent(c);
    c.handleBytes(16, cdn(SERVER_CALL_ID, 4));
    only(sent(c), 'StopControlConnectionRequest');
    c.handleBytes(17, stopReply());
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  it('waitOcrp_serverSendsOcrq', () => {
    const { c } = waitOcrp();
    c.handleBytes(15, wire({ ...(sentOcrqTemplate()), callId: 555 }));
    const reply = only(sent(c), 'OutgoingCallReply');
    expect(reply).toMatchObject({ peerCallId: 555, resultCode: 7 });
    expect(c.state).toBe('wait-ocrp');
    expect(c.counters.unexpected).toBe(1);
  });

  it('waitOcrp_serverSendsIcrq', () => {
    const { c } = waitOcrp();
    c.handleBytes(15, wire({
      kind: 'IncomingCallRequest',
      callId: 42,
      callSerialNumber: 1,
      bearerType: 1,
      physicalChannelId: 0,
      dialedNumber: '',
      dialingNumber: '',
      subaddress: '',
    }));
    expect(only(sent(c), 'IncomingCallReply')).toMatchObject({ peerCallId: 42, resultCode: 3 });
  });

  it('waitOcrp_receivesSetLinkInfo', () => {
    const { c } = waitOcrp();
    c.handleBytes(15, wire({ kind: 'SetLinkInfo', peerCallId: c.callId, sendAccm: 0, receiveAccm: 0 }));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'unexpected', kind: 'SetLinkInfo' }]);
    expect(c.linkInfo).toBeUndefined();
  });
});

function sentOcrqTemplate(): OutgoingCallRequest {
  return {
    kind: 'OutgoingCallRequest',
    callId: 1,
    callSerialNumber: 1,
    minimumBps: 1,
    maximumBps: 1,
    bearerType: 3,
    framingType: 3,
    receiveWindowSize: 1,
    processingDelay: 0,
    phoneNumber: '',
    subaddress: '',
  };
}

// ---- established -------------------------------------------------------------------------

describe('established', () => {
  it('established_receivesCdn', () => {
    const c = established();
    c.handleBytes(40, wire({ kind: 'CallDisconnectNotify', callId: SERVER_CALL_ID, resultCode: 3, errorCode: 0, causeCode: 7, callStatistics: 'stats' }));
    expect(events(c)).toEqual([
      { type: 'call-disconnected', resultCode: 3, errorCode: 0, causeCode: 7, words: 'administrative shutdown', callStatistics: 'stats' },
    ]);
    only(sent(c), 'StopControlConnectionRequest');
    expect(c.state).toBe('wait-stopccrp');
    c.handleBytes(41, stopReply());
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('peer-disconnected');
    expect(ev.failure?.message).toBe('The server disconnected the call: administrative shutdown.');
  });

  it('established_receivesCdnNamingOurCallId', () => {
    const c = established();
    c.handleBytes(40, cdn(c.callId, 1));
    expect(events(c)[0]).toMatchObject({ type: 'call-disconnected', words: 'lost carrier' });
  });

  it('established_receivesCdnThenTransportClosed', () => {
    const c = established();
    c.handleBytes(40, cdn(SERVER_CALL_ID));
    c.handleTransportClosed(41);
    expect(closedEvent(events(c)).failure?.reason).toBe('peer-disconnected');
  });

  it('established_receivesCdnThenTeardownTimeout', () => {
    const c = established();
    c.handleBytes(40, cdn(SERVER_CALL_ID));
    c.handleTimeout(40 + 5_000);
    expect(closedEvent(events(c)).failure?.reason).toBe('peer-disconnected');
  });

  it('established_receivesCdnForAnotherCall', () => {
    const c = established();
    c.handleBytes(40, cdn(999));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'wrong-call-id', kind: 'CallDisconnectNotify' }]);
    expect(c.state).toBe('established');
  });

  it('established_receivesStopCcrq', () => {
    const c = established();
    c.handleBytes(40, stopRequest(3));
    expect(only(sent(c), 'StopControlConnectionReply')).toEqual({ kind: 'StopControlConnectionReply', resultCode: 1, errorCode: 0 });
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('peer-disconnected');
    expect(ev.failure?.message).toContain('local shutdown');
    expect(c.state).toBe('closed');
  });

  it('established_transportClosed', () => {
    const c = established();
    c.handleTransportClosed(40);
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('peer-disconnected');
    expect(ev.failure?.detail).toMatchObject({ state: 'established' });
  });

  it('established_receivesServerCcrq', () => {
    const c = established();
    c.handleBytes(40, wire({ kind: 'CallClearRequest', callId: SERVER_CALL_ID }));
    expect(sent(c).map((m) => m.kind)).toEqual(['CallDisconnectNotify', 'StopControlConnectionRequest']);
    expect(events(c)).toMatchObject([{ type: 'call-disconnected', resultCode: 4 }]);
    c.handleBytes(41, stopReply());
    expect(closedEvent(events(c)).failure?.reason).toBe('peer-disconnected');
  });

  it('established_receivesSetLinkInfo', () => {
    const c = established();
    c.handleBytes(40, wire({ kind: 'SetLinkInfo', peerCallId: c.callId, sendAccm: 0xffffffff, receiveAccm: 0 }));
    expect(events(c)).toEqual([{ type: 'set-link-info', sendAccm: 0xffffffff, receiveAccm: 0 }]);
    expect(c.linkInfo).toEqual({ sendAccm: 0xffffffff, receiveAccm: 0 });
    expect(c.counters.setLinkInfos).toBe(1);
  });

  it('established_receivesSetLinkInfoForAnotherCall', () => {
    const c = established();
    c.handleBytes(40, wire({ kind: 'SetLinkInfo', peerCallId: 4444, sendAccm: 1, receiveAccm: 1 }));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'wrong-call-id' }]);
    expect(c.linkInfo).toBeUndefined();
  });

  it('established_receivesWanErrorNotify', () => {
    const c = established();
    const wen = (crc: number) =>
      wire({ kind: 'WanErrorNotify', peerCallId: c.callId, crcErrors: crc, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 });
    c.handleBytes(40, wen(1));
    c.handleBytes(41, wen(9));
    const evs = events(c);
    expect(evs).toEqual([
      { type: 'wan-error', count: 1, errors: { crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 } },
      { type: 'wan-error', count: 2, errors: { crcErrors: 9, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 } },
    ]);
    expect(c.lastWanErrors?.crcErrors).toBe(9);
    expect(c.state).toBe('established');
  });

  it('established_receivesDuplicateOcrp', () => {
    const c = established();
    c.handleBytes(40, ocrp(c));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'unexpected', kind: 'OutgoingCallReply' }]);
    expect(c.state).toBe('established');
  });

  it('established_receivesUnknownControlType', () => {
    const c = established();
    c.handleBytes(40, fromHex('0010 0001 1a2b3c4d 0010 0000 00000000'));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'malformed', error: { code: 'unknown-type' } }]);
    expect(c.state).toBe('established');
    expect(c.counters.malformed).toBe(1);
  });

  it('established_receivesWrongLengthForType', () => {
    const c = established();
    const b = new Uint8Array(20);
    b.set(echoRequest(1));
    writeU16(b, 0, 20);
    c.handleBytes(40, b);
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('protocol-error');
    expect(ev.failure?.detail).toMatchObject({ wireError: 'bad-length' });
  });

  it('established_receivesGarbage', () => {
    const c = established();
    c.handleBytes(40, garbage());
    expect(closedEvent(events(c)).failure?.reason).toBe('protocol-error');
  });

  it('established_receivesEchoReplyWithUnknownId', () => {
    const c = established();
    c.handleBytes(40, wire({ kind: 'EchoReply', identifier: 1, resultCode: 1, errorCode: 0 }));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'unknown-echo-id' }]);
  });

  it('established_hangUp', () => {
    const c = established();
    c.hangUp(50);
    expect(only(sent(c), 'CallClearRequest')).toEqual({ kind: 'CallClearRequest', callId: c.callId });
    expect(c.state).toBe('wait-cdn');
    expect(c.nextTimeout()).toBe(50 + 5_000);
  });
});

// ---- keepalive (virtual clock) -----------------------------------------------------------

describe('established keepalive', () => {
  it('established_idle_sendsEchoRequestAfter60s', () => {
    const c = established();
    // last message received at t=20
    expect(c.nextTimeout()).toBe(20 + 60_000);
    c.handleTimeout(20 + 59_999);
    expect(sent(c)).toEqual([]);
    c.handleTimeout(20 + 60_000);
    const echo = only(sent(c), 'EchoRequest');
    expect(c.nextTimeout()).toBe(20 + 120_000);
    c.handleBytes(20 + 60_250, wire({ kind: 'EchoReply', identifier: echo.identifier, resultCode: 1, errorCode: 0 }));
    expect(events(c)).toEqual([{ type: 'echo-rtt', rttMs: 250 }]);
    expect(c.nextTimeout()).toBe(20 + 60_250 + 60_000);
    expect(c.counters.echoRequestsSent).toBe(1);
    expect(c.counters.echoRepliesReceived).toBe(1);
  });

  it('established_echoUnanswered_failsKeepalive', () => {
    const c = established();
    c.handleTimeout(20 + 60_000);
    sent(c);
    c.handleTimeout(20 + 119_999);
    expect(c.state).toBe('established');
    c.handleTimeout(20 + 120_000);
    const ev = closedEvent(events(c));
    expect(ev.failure?.reason).toBe('keepalive-timeout');
    expect(ev.failure?.message).toContain('60 s');
  });

  it('established_anyMessageCountsAsLiveness', () => {
    const c = established();
    c.handleTimeout(20 + 60_000);
    sent(c);
    c.handleBytes(20 + 90_000, wire({ kind: 'SetLinkInfo', peerCallId: c.callId, sendAccm: 0, receiveAccm: 0 }));
    c.handleTimeout(20 + 120_000);
    expect(c.state).toBe('established');
    expect(c.nextTimeout()).toBe(20 + 90_000 + 60_000);
  });

  it('established_trafficPostponesEcho', () => {
    const c = established();
    c.handleBytes(50_000, echoRequest(5));
    sent(c);
    c.handleTimeout(20 + 60_000);
    expect(sent(c)).toEqual([]);
    c.handleTimeout(110_000);
    expect(only(sent(c), 'EchoRequest').kind).toBe('EchoRequest');
  });

  it('established_consecutiveEchoesUseNewIdentifiers', () => {
    const c = established({ echoIdleMs: 1000, echoReplyTimeoutMs: 500 });
    c.handleTimeout(1020);
    const a = only(sent(c), 'EchoRequest');
    c.handleBytes(1100, wire({ kind: 'EchoReply', identifier: a.identifier, resultCode: 1, errorCode: 0 }));
    c.handleTimeout(2100);
    const b = only(sent(c), 'EchoRequest');
    expect(b.identifier).toBe((a.identifier + 1) >>> 0);
    c.handleTimeout(2600);
    expect(closedEvent(events(c)).failure?.reason).toBe('keepalive-timeout');
  });

  it('waitOcrp_echoesWhileWaiting', () => {
    const { c } = waitOcrp({ echoIdleMs: 1000, replyTimeoutMs: 100_000 });
    c.handleTimeout(1010);
    only(sent(c), 'EchoRequest');
  });

  it('waitCdn_sendsNoEcho', () => {
    const c = waitCdn();
    c.handleTimeout(20 + 60_000);
    expect(sent(c).map((m) => m.kind)).not.toContain('EchoRequest');
  });
});

// ---- wait-cdn ------------------------------------------------------------------------------

describe('wait-cdn', () => {
  it('waitCdn_receivesCdn', () => {
    const c = waitCdn();
    c.handleBytes(40, cdn(SERVER_CALL_ID, 4));
    only(sent(c), 'StopControlConnectionRequest');
    expect(c.state).toBe('wait-stopccrp');
    c.handleBytes(41, stopReply());
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  it('waitCdn_transportClosed_isCleanEnd', () => {
    // pptpd answers Call-Clear-Request by closing TCP (pptpd-peer.md).
    const c = waitCdn();
    c.handleTransportClosed(40);
    expect(closedEvent(events(c)).failure).toBeUndefined();
    expect(c.failure).toBeUndefined();
  });

  it('waitCdn_teardownTimeout', () => {
    const c = waitCdn();
    c.handleTimeout(30 + 5_000);
    only(sent(c), 'StopControlConnectionRequest');
    c.handleTimeout(30 + 10_000);
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  it('waitCdn_receivesGarbage', () => {
    const c = waitCdn();
    c.handleBytes(40, garbage());
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'malformed' }]);
    expect(c.state).toBe('wait-cdn');
  });

  it('waitCdn_receivesStopCcrq', () => {
    const c = waitCdn();
    c.handleBytes(40, stopRequest());
    only(sent(c), 'StopControlConnectionReply');
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  it('waitCdn_closeGraceful', () => {
    const c = waitCdn();
    c.close(40, { graceful: true });
    only(sent(c), 'StopControlConnectionRequest');
    expect(c.state).toBe('wait-stopccrp');
  });
});

// ---- wait-stopccrp -----------------------------------------------------------------------

describe('wait-stopccrp', () => {
  it('waitStopccrp_receivesStopCcrp', () => {
    const c = waitStopccrp();
    c.handleBytes(40, stopReply());
    expect(closedEvent(events(c)).failure).toBeUndefined();
    expect(c.nextTimeout()).toBeUndefined();
  });

  it('waitStopccrp_teardownTimeout', () => {
    const c = waitStopccrp();
    c.handleTimeout(30 + 5_000);
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  it('waitStopccrp_transportClosed', () => {
    const c = waitStopccrp();
    c.handleTransportClosed(40);
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  it('waitStopccrp_receivesStopCcrq', () => {
    const c = waitStopccrp();
    c.handleBytes(40, stopRequest());
    only(sent(c), 'StopControlConnectionReply');
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  it('waitStopccrp_receivesCdn', () => {
    const c = waitStopccrp();
    c.handleBytes(40, cdn(SERVER_CALL_ID));
    expect(events(c)).toMatchObject([{ type: 'ignored', cause: 'unexpected' }]);
    expect(c.state).toBe('wait-stopccrp');
  });
});

// ---- closed --------------------------------------------------------------------------------

describe('closed', () => {
  it('closed_ignoresEverything', () => {
    const c = closed();
    c.handleBytes(40, echoRequest(1));
    c.handleBytes(41, garbage());
    c.handleTimeout(1e9);
    c.handleTransportClosed(42);
    c.hangUp(43);
    c.close(44, { graceful: true });
    c.start(45);
    expect(sent(c)).toEqual([]);
    expect(events(c)).toEqual([]);
    expect(c.state).toBe('closed');
    expect(c.nextTimeout()).toBeUndefined();
  });

  it('closed_stopsProcessingTheRestOfAChunk', () => {
    const c = established();
    c.handleBytes(40, new Uint8Array([...stopRequest(), ...echoRequest(3)]));
    expect(sent(c).map((m) => m.kind)).toEqual(['StopControlConnectionReply']);
  });
});

// ---- every state -------------------------------------------------------------------------

describe('every open state', () => {
  it.each(OPEN_FIXTURES)('%s_receivesEchoRequest_answersWithSameIdentifier', (state, make) => {
    const c = make();
    c.handleBytes(100, echoRequest(0x01020304));
    expect(only(sent(c), 'EchoReply')).toEqual({ kind: 'EchoReply', identifier: 0x01020304, resultCode: 1, errorCode: 0 });
    expect(c.state).toBe(state);
    expect(c.counters.echoRequestsAnswered).toBe(1);
  });

  it.each(OPEN_FIXTURES)('%s_receivesUnexpectedMessages_ignoresAndCounts', (state, make) => {
    const c = make();
    c.handleBytes(100, wire({ kind: 'StartControlConnectionRequest', protocolVersion: 0x100, framingCapabilities: 0, bearerCapabilities: 0, maximumChannels: 0, firmwareRevision: 0, hostName: '', vendorString: '' }));
    c.handleBytes(101, wire({ kind: 'IncomingCallConnected', peerCallId: c.callId, connectSpeed: 0, receiveWindowSize: 0, transmitDelay: 0, framingType: 1 }));
    c.handleBytes(102, wire({ kind: 'IncomingCallReply', callId: 1, peerCallId: c.callId, resultCode: 1, errorCode: 0, receiveWindowSize: 1, transmitDelay: 0 }));
    expect(events(c).map((e) => e.type)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(sent(c)).toEqual([]);
    expect(c.state).toBe(state);
    expect(c.counters.unexpected).toBe(3);
  });

  it.each(OPEN_FIXTURES)('%s_receivesStrayStopCcrp_ignores', (state, make) => {
    if (state === 'wait-stopccrp') return; // there it is the expected reply (tested above)
    const c = make();
    c.handleBytes(100, stopReply());
    expect(c.state).toBe(state);
    expect(c.counters.unexpected).toBe(1);
  });

  const garbageOutcome: Record<string, 'protocol-error' | 'ignored'> = {
    idle: 'protocol-error',
    'wait-sccrp': 'protocol-error',
    'wait-ocrp': 'protocol-error',
    established: 'protocol-error',
    'wait-cdn': 'ignored',
    'wait-stopccrp': 'ignored',
  };
  it.each(OPEN_FIXTURES)('%s_receivesGarbage_followsTheRuleTable', (state, make) => {
    const c = make();
    c.handleBytes(100, garbage());
    const evs = events(c);
    if (garbageOutcome[state] === 'ignored') {
      expect(evs).toMatchObject([{ type: 'ignored', cause: 'malformed' }]);
      expect(c.state).toBe(state);
    } else {
      expect(closedEvent(evs).failure?.reason).toBe('protocol-error');
    }
    expect(c.counters.malformed).toBe(1);
  });

  it.each(OPEN_FIXTURES)('%s_closeImmediate_closesWithoutSending', (_state, make) => {
    const c = make();
    c.close(100, { graceful: false });
    expect(sent(c)).toEqual([]);
    expect(closedEvent(events(c)).failure).toBeUndefined();
    expect(c.nextTimeout()).toBeUndefined();
  });

  const gracefulOutcome: Record<string, string[]> = {
    idle: [],
    'wait-sccrp': [],
    'wait-ocrp': ['StopControlConnectionRequest'],
    established: ['StopControlConnectionRequest'],
    'wait-cdn': ['StopControlConnectionRequest'],
    'wait-stopccrp': [],
  };
  it.each(OPEN_FIXTURES)('%s_closeGraceful_followsTheTable', (state, make) => {
    const c = make();
    c.close(100, { graceful: true });
    expect(sent(c).map((m) => m.kind)).toEqual(gracefulOutcome[state]);
    const expectedState = gracefulOutcome[state]!.length > 0 || state === 'wait-stopccrp' ? 'wait-stopccrp' : 'closed';
    expect(c.state).toBe(expectedState);
    if (expectedState === 'wait-stopccrp') {
      c.handleTimeout(c.nextTimeout()!);
      expect(c.state).toBe('closed');
    }
    expect(closedEvent(events(c)).failure).toBeUndefined();
  });

  const hangUpOutcome: Record<string, ControlState> = {
    idle: 'closed',
    'wait-sccrp': 'closed',
    'wait-ocrp': 'wait-cdn',
    established: 'wait-cdn',
    'wait-cdn': 'wait-cdn',
    'wait-stopccrp': 'wait-stopccrp',
  };
  it.each(OPEN_FIXTURES)('%s_hangUp_followsTheTable', (state, make) => {
    const c = make();
    c.hangUp(100);
    expect(c.state).toBe(hangUpOutcome[state]);
    const kinds = sent(c).map((m) => m.kind);
    expect(kinds).toEqual(hangUpOutcome[state] === 'wait-cdn' && state !== 'wait-cdn' ? ['CallClearRequest'] : []);
  });

  it.each(OPEN_FIXTURES)('%s_transportClosed_closes', (state, make) => {
    const c = make();
    c.handleTransportClosed(100);
    const failure = closedEvent(events(c)).failure;
    if (state === 'wait-cdn' || state === 'wait-stopccrp') expect(failure).toBeUndefined();
    else expect(failure?.reason).toBe('peer-disconnected');
    expect(c.pollTransmit()).toBeUndefined();
  });
});

// ---- configuration -------------------------------------------------------------------------

describe('configuration', () => {
  it('chooses a non-zero call ID even when the random source gives zeros', () => {
    const c = new ControlConnection({ random: (n) => new Uint8Array(n) });
    expect(c.callId).toBe(1);
  });

  it('chooses call IDs and serials from the random source', () => {
    const ids = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) ids.add(new ControlConnection({ random: seededRandom(seed) }).callId);
    expect(ids.size).toBeGreaterThan(15);
    for (const id of ids) expect(id).toBeGreaterThan(0);
  });

  it('advertises the configured window, delay and numbers in OCRQ', () => {
    const { ocrq } = waitOcrp({ receiveWindow: 16, processingDelay: 2, phoneNumber: '123', subaddress: 'ab' });
    expect(ocrq).toMatchObject({ receiveWindowSize: 16, processingDelay: 2, phoneNumber: '123', subaddress: 'ab' });
  });

  it('refuses impossible settings', () => {
    const random = seededRandom(1);
    expect(() => new ControlConnection({ random, echoIdleMs: 0 })).toThrow(RangeError);
    expect(() => new ControlConnection({ random, receiveWindow: 0 })).toThrow(RangeError);
    expect(() => new ControlConnection({ random, receiveWindow: 70_000 })).toThrow(RangeError);
    expect(() => new ControlConnection({ random, replyTimeoutMs: Number.NaN })).toThrow(RangeError);
  });

  it('counts what it sends and receives', () => {
    const c = established();
    expect(c.counters).toMatchObject({ messagesSent: 2, messagesReceived: 2 });
  });
});
