/**
 * Windows RRAS (Server 2008 – 2022) as the scripted server speaks it (server-families.ts; facts
 * in shared/notes/servers.md): its full first LCP request with Multilink and BAP/BACP on, the
 * "LCP extensions" packets (Identification, Time-Remaining) before and after Opened, BACP / BAP /
 * BCP frames, an MS-CHAPv2 Success without the space before M=, a CCP offer with MPPC and several
 * key lengths, and a server-side LCP Terminate-Request. Simulation only: no real RRAS was run.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilUp, expectUp, expectWellFormedTimeline, indicesOf, scheduleClientTraffic } from '../session/session-sim';
import {
  PPP_PROTO_BACP,
  PPP_PROTO_BAP,
  PPP_PROTO_BCP,
  RRAS_EXTRA_LCP_OPTIONS,
  rrasServer,
} from '../support/server-families';
import { PPP_PROTO_CCP, PPP_PROTO_LCP } from '../../../main/engine/ppp/protocol';
import {
  CODE_CODE_REJECT,
  CODE_CONFIGURE_NAK,
  CODE_CONFIGURE_REJECT,
  CODE_CONFIGURE_REQUEST,
  CODE_IDENTIFICATION,
  CODE_TERMINATE_ACK,
  CODE_TIME_REMAINING,
  encodeControlPacket,
  decodeOptions,
} from '../../../main/engine/ppp/packet';
import { MPPE_BIT_C, MPPE_BIT_H, MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';
import { decodeFrame } from '../../../main/engine/ppp/frame';
import { decodeGrePacket } from '../../../main/engine/gre';
import { readU16, readU32 } from '../../../main/engine/wire/bytes';

const text = new TextEncoder();

/** RFC 1570 §2.1 Identification: magic number, then the message. */
function identification(id: number, magic: number, message: Uint8Array): Uint8Array {
  const data = new Uint8Array(4 + message.length);
  new DataView(data.buffer).setUint32(0, magic);
  data.set(message, 4);
  return encodeControlPacket({ code: CODE_IDENTIFICATION, identifier: id, data });
}

/** RFC 1570 §2.2 Time-Remaining: magic number, seconds remaining, message. */
function timeRemaining(id: number, magic: number, seconds: number): Uint8Array {
  const data = new Uint8Array(8);
  new DataView(data.buffer).setUint32(0, magic);
  new DataView(data.buffer).setUint32(4, seconds);
  return encodeControlPacket({ code: CODE_TIME_REMAINING, identifier: id, data });
}

/** The three Identification packets RRAS sends (shared/notes/servers.md) and a Time-Remaining. */
function lcpExtensions(magic: number): Uint8Array[] {
  return [
    identification(0x21, magic, text.encode('MSRASV5.20')),
    identification(0x22, magic, text.encode('MSRAS-0-RRAS-HOST')),
    identification(0x23, magic, Uint8Array.of(0x5d, 0x00, 0x13, 0x9a, 0xff, 0x01)),
    timeRemaining(0x24, magic, 86_400),
  ];
}

function lcpFramesFromClient(s: ReturnType<typeof createSim>, code: number): Uint8Array[] {
  return (s.server.peer?.framesIn ?? []).filter((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === code).map((f) => f.info);
}

describe('Windows RRAS', () => {
  it('rras_fullFirstLcpRequest_callbackMrruAndDiscriminatorsRejectedInOneConfigureReject', () => {
    const s = createSim({ server: rrasServer() });
    expect(driveUntilUp(s)).toBe(true);
    expectUp(s);
    const rejects = lcpFramesFromClient(s, CODE_CONFIGURE_REJECT);
    expect(rejects).toHaveLength(1);
    const rejected = decodeOptions(rejects[0]!.subarray(4));
    expect(rejected.ok).toBe(true);
    if (!rejected.ok) return;
    expect(rejected.value.map((o) => o.type)).toEqual(RRAS_EXTRA_LCP_OPTIONS.map((o) => o.type));
    // The rejected options are quoted exactly as the server sent them (RFC 1661 §5.4).
    expect(rejected.value.map((o) => [...o.data])).toEqual(RRAS_EXTRA_LCP_OPTIONS.map((o) => [...o.data]));
    // Nothing else of the first request was refused: MRU 1400 was taken.
    expect(s.client.upEvent?.mtu).toBe(1396);
    expectWellFormedTimeline(s);
  });

  it('rras_lcpIdentificationAndTimeRemaining_beforeOpened_notCodeRejectedAndUp', () => {
    let sent = false;
    const s = createSim({
      server: rrasServer({
        ppp: {
          hostile: {
            // Right behind its first Configure-Request: before either side's LCP is Opened.
            rewrite: (protocol, info) => {
              if (protocol !== PPP_PROTO_LCP || info[0] !== CODE_CONFIGURE_REQUEST || sent) return [{ protocol, info }];
              sent = true;
              return [{ protocol, info }, ...lcpExtensions(0x1234abcd).map((p) => ({ protocol, info: p }))];
            },
          },
        },
      }),
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(sent).toBe(true);
    expect(lcpFramesFromClient(s, CODE_CODE_REJECT)).toEqual([]);
    s.pair.drive(s.pair.clock.now + 10_000);
    expectUp(s);
  });

  it('rras_lcpIdentificationAndTimeRemaining_afterOpened_notCodeRejectedLinkStaysUp', () => {
    const s = createSim({ server: rrasServer({ echoIp: true }) });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 100, (now) => {
      for (const p of lcpExtensions(0x1234abcd)) s.server.peer!.sendRawFrame(PPP_PROTO_LCP, p);
      s.server.afterInput(now);
    });
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(lcpFramesFromClient(s, CODE_CODE_REJECT)).toEqual([]);
    scheduleClientTraffic(s, 10, 5);
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(indicesOf(s.client.tun).indices).toHaveLength(10);
    expectUp(s);
  });

  it('rras_bacpBapBcpFrames_protocolRejectedLinkStaysUp', () => {
    const s = createSim({ server: rrasServer({ echoIp: true }) });
    expect(driveUntilUp(s)).toBe(true);
    const configureRequest = encodeControlPacket({ code: CODE_CONFIGURE_REQUEST, identifier: 1, data: new Uint8Array(0) });
    s.pair.schedule(s.pair.clock.now + 100, (now) => {
      for (const protocol of [PPP_PROTO_BACP, PPP_PROTO_BAP, PPP_PROTO_BCP]) s.server.peer!.sendRawFrame(protocol, configureRequest);
      s.server.afterInput(now);
    });
    s.pair.drive(s.pair.clock.now + 1_000);
    // RFC 1661 §5.7: each unknown protocol gets one Protocol-Reject, and nothing more happens.
    expect(s.server.peer!.observed.protocolRejects.filter((p) => p !== 0x8057)).toEqual([PPP_PROTO_BACP, PPP_PROTO_BAP, PPP_PROTO_BCP]);
    scheduleClientTraffic(s, 10, 5);
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(indicesOf(s.client.tun).indices).toHaveLength(10);
    expectUp(s);
  });

  it('rras_mschapv2SuccessWithoutSpaceBeforeM_keepsTheServerMessage', () => {
    const s = createSim({ server: rrasServer({ auth: { method: 'mschapv2', username: 'alice', password: 's3cret-Pass', hostile: { successWithoutSpace: true } } }) });
    expect(driveUntilUp(s)).toBe(true);
    const auth = s.client.eventsOf('phase').find((e) => e.phase === 'auth' && e.status === 'done');
    expect(auth?.detail).toMatchObject({ server: 'Access granted' });
  });

  it('rras_ccpOfferWithMppcAndSeveralKeyLengths_nakedTo128Stateless_up', () => {
    const s = createSim({ server: rrasServer({ echoIp: true }) });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 128, stateful: false });
    const naks = (s.server.peer?.framesIn ?? []).filter((f) => f.protocol === PPP_PROTO_CCP && f.info[0] === CODE_CONFIGURE_NAK);
    expect(naks.length).toBeGreaterThanOrEqual(1);
    const suggested = readU32(naks[0]!.info, 6);
    expect(suggested & MPPE_BIT_C).toBe(0); // no MPPC: we do not compress
    expect(suggested).toBe(MPPE_BIT_S | MPPE_BIT_H);
    scheduleClientTraffic(s, 20, 5);
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(indicesOf(s.client.tun).indices).toHaveLength(20);
  });

  it('rras_serverLcpTerminateRequest_terminateAckLeavesBeforeCallClearRequest', () => {
    const s = createSim({ server: rrasServer({ control: { onCallClear: 'disconnect-notify' } }) });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 100, (now) => s.server.terminatePpp(now, 'Administrator disconnected'));
    s.pair.driveUntil(() => s.client.closed !== undefined, s.pair.clock.now + 30_000);
    expect(s.client.closed?.reason).toBe('peer-disconnected');
    const wire = s.client.wire.map((w, index) => ({ ...w, index }));
    const terminateAck = wire.find((w) => {
      if (w.channel !== 'gre') return false;
      const g = decodeGrePacket(w.bytes);
      if (!g.ok || g.value.payload.length === 0) return false;
      const f = decodeFrame(g.value.payload);
      return f.ok && f.value.protocol === PPP_PROTO_LCP && f.value.info[0] === CODE_TERMINATE_ACK;
    });
    // RFC 2637 §2.12: Call-Clear-Request is control message type 12.
    const callClear = wire.find((w) => w.channel === 'control' && w.bytes.length >= 10 && readU16(w.bytes, 8) === 12);
    expect(terminateAck, 'no Terminate-Ack on the wire').toBeDefined();
    expect(callClear, 'no Call-Clear-Request on the wire').toBeDefined();
    console.log(`Terminate-Ack at ${terminateAck!.at} ms (#${terminateAck!.index}), Call-Clear-Request at ${callClear!.at} ms (#${callClear!.index})`);
    // The wire log is in the service's order (control bytes, then GRE, after each input).
    expect(terminateAck!.index).toBeLessThan(callClear!.index);
    expect(terminateAck!.at).toBeLessThanOrEqual(callClear!.at);
  });
});
