import { CONTROL_FRAME_RESERVE } from '../../../../main/engine/gre/gre-sender';
import { describe, expect, it } from 'vitest';
import type { GreCallConfig } from '../../../../main/engine/gre/gre-call';
import { GreCall } from '../../../../main/engine/gre/gre-call';
import type { GrePacket } from '../../../../main/engine/gre/gre-packet';
import { decodeGrePacket, encodeGrePacket } from '../../../../main/engine/gre/gre-packet';
import { FramePool } from '../../../../main/engine/wire/frame-pool';

const LOCAL = 0x0140; // our call ID: what arrives in the key
const PEER = 0x0080; // the peer's call ID: what we put in the key

function newCall(extra: Partial<GreCallConfig> = {}): GreCall {
  return new GreCall({ localCallId: LOCAL, peerCallId: PEER, peerReceiveWindow: 64, ...extra });
}

/** A data packet from the peer whose payload is one byte naming it (seq & 0xff). */
function data(sequence: number, ack?: number): Uint8Array {
  const payload = new Uint8Array([sequence & 0xff]);
  return encodeGrePacket(ack === undefined ? { callId: LOCAL, sequence, payload } : { callId: LOCAL, sequence, ack, payload });
}

function ackOnly(ack: number, callId = LOCAL): Uint8Array {
  return encodeGrePacket({ callId, ack, payload: new Uint8Array(0) });
}

function transmitted(call: GreCall): GrePacket[] {
  const out: GrePacket[] = [];
  for (let p = call.pollTransmit(); p !== undefined; p = call.pollTransmit()) {
    const d = decodeGrePacket(p);
    if (!d.ok) throw new Error(`we sent a malformed packet: ${d.error.message}`);
    out.push(d.value);
  }
  return out;
}

function received(call: GreCall): number[] {
  const out: number[] = [];
  for (let f = call.pollReceived(); f !== undefined; f = call.pollReceived()) out.push(f[0]!);
  return out;
}

describe('GreCall receive: in order', () => {
  it('fresh_receivesInOrder_deliversEachFrameOnce', () => {
    const call = newCall();
    for (let s = 0; s < 5; s++) expect(call.handleGre(s, data(s))).toBe('accepted');
    expect(received(call)).toEqual([0, 1, 2, 3, 4]);
    expect(call.counters).toMatchObject({ rxAccepted: 5, rxLost: 0, rxReordered: 0, rxBytes: 5 });
  });

  it('fresh_firstSequenceIsArbitrary_becomesTheBase', () => {
    const call = newCall();
    call.handleGre(0, data(1000));
    call.handleGre(1, data(1001));
    expect(received(call)).toEqual([1000 & 0xff, 1001 & 0xff]);
  });

  it('nearWrap_receivesAcross0xffffffff_inOrderAndAcksWrap', () => {
    const call = newCall();
    const seqs = [0xfffffffe, 0xffffffff, 0, 1];
    for (const s of seqs) expect(call.handleGre(0, data(s))).toBe('accepted');
    expect(received(call)).toEqual([0xfe, 0xff, 0, 1]);
    call.handleTimeout(call.nextTimeout()!);
    const acks = transmitted(call);
    expect(acks).toHaveLength(1);
    expect(acks[0]!.ack).toBe(1);
  });

  it('nearWrap_reorderAcrossTheWrap_deliveredInOrder', () => {
    const call = newCall();
    call.handleGre(0, data(0xfffffffe));
    expect(call.handleGre(1, data(1))).toBe('buffered');
    expect(call.handleGre(2, data(0))).toBe('buffered');
    expect(call.handleGre(3, data(0xffffffff))).toBe('accepted');
    expect(received(call)).toEqual([0xfe, 0xff, 0, 1]);
  });

  it('receivedFrames_areCopies_ofTheInputBuffer', () => {
    const call = newCall();
    const packet = data(7);
    call.handleGre(0, packet);
    packet[packet.length - 1] = 0xee;
    expect(received(call)).toEqual([7]);
  });
});

describe('GreCall receive: reorder buffer', () => {
  it('gap_reorderedInsideWindow_deliveredInOrderWhenGapFills', () => {
    const call = newCall();
    call.handleGre(0, data(0));
    expect(call.handleGre(1, data(2))).toBe('buffered');
    expect(call.handleGre(2, data(3))).toBe('buffered');
    expect(received(call)).toEqual([0]);
    expect(call.handleGre(3, data(1))).toBe('accepted');
    expect(received(call)).toEqual([1, 2, 3]);
    expect(call.counters).toMatchObject({ rxAccepted: 4, rxReordered: 2, rxLost: 0 });
  });

  it('gap_notFilledWithinReorderTimeout_skippedAndCountedLost', () => {
    const call = newCall();
    call.handleGre(0, data(0));
    call.handleTimeout(call.nextTimeout()!); // the ack for 0 (50 ms)
    transmitted(call);
    call.handleGre(100, data(2));
    call.handleGre(120, data(3));
    // Held packets are acknowledged (the highest received), 50 ms after the first of them.
    expect(call.nextTimeout()).toBe(150);
    call.handleTimeout(150);
    expect(transmitted(call).map((p) => p.ack)).toEqual([3]);
    expect(call.nextTimeout()).toBe(100 + 300);
    call.handleTimeout(399);
    expect(received(call)).toEqual([0]);
    call.handleTimeout(400);
    expect(received(call)).toEqual([2, 3]);
    expect(call.counters).toMatchObject({ rxAccepted: 3, rxLost: 1 });
    // Giving up the gap does not change the highest received: no new ack.
    expect(call.nextTimeout()).toBeUndefined();
  });

  it('gapGivenUp_lateArrival_isStale', () => {
    const call = newCall({ reorderTimeoutMs: 300 });
    call.handleGre(0, data(0));
    call.handleGre(0, data(2));
    call.handleTimeout(300);
    expect(call.handleGre(301, data(1))).toBe('stale');
    expect(received(call)).toEqual([0, 2]);
    expect(call.counters).toMatchObject({ rxStale: 1, rxLost: 1, rxAccepted: 2 });
  });

  it('twoGaps_eachWaitsItsOwnTimeout', () => {
    const call = newCall();
    call.handleGre(0, data(0));
    call.handleGre(0, data(2)); // gap at 1, held since 0
    call.handleGre(200, data(4)); // gap at 3, held since 200
    call.handleTimeout(300);
    expect(received(call)).toEqual([0, 2]);
    expect(transmitted(call).map((p) => p.ack)).toEqual([4]); // the overdue delayed ack
    expect(call.nextTimeout()).toBe(500); // 4 has waited since 200
    call.handleTimeout(499);
    expect(received(call)).toEqual([]);
    call.handleTimeout(500);
    expect(received(call)).toEqual([4]);
    expect(call.counters.rxLost).toBe(2);
  });

  it('bufferFull_givesUpLowestGapAtOnce', () => {
    const call = newCall({ maxReorderBuffer: 2 });
    call.handleGre(0, data(0));
    call.handleGre(1, data(2));
    call.handleGre(2, data(3));
    expect(call.handleGre(3, data(4))).toBe('accepted');
    expect(received(call)).toEqual([0, 2, 3, 4]);
    expect(call.counters).toMatchObject({ rxLost: 1, rxAccepted: 4 });
  });

  it('bufferFull_newPacketBelowEverythingHeld_givesUpOnlyTheGapBeforeIt', () => {
    const call = newCall({ maxReorderBuffer: 2 });
    call.handleGre(0, data(0));
    call.handleGre(1, data(3));
    call.handleGre(2, data(4));
    expect(call.handleGre(3, data(2))).toBe('accepted');
    expect(received(call)).toEqual([0, 2, 3, 4]);
    expect(call.counters).toMatchObject({ rxLost: 1, rxAccepted: 4 });
    expect(call.nextTimeout()).toBe(50); // only the delayed ack from t=0: nothing held, no reorder timer
  });

  it('bufferFull_newPacketStillAhead_isHeldAfterGivingUp', () => {
    const call = newCall({ maxReorderBuffer: 2 });
    call.handleGre(0, data(0));
    call.handleGre(1, data(2));
    call.handleGre(2, data(5));
    expect(call.handleGre(3, data(7))).toBe('buffered');
    expect(received(call)).toEqual([0, 2]);
    call.handleGre(4, data(6));
    call.handleTimeout(1 + 300);
    expect(received(call)).toEqual([5, 6, 7]);
    expect(call.counters.rxLost).toBe(3); // 1, 3, 4
  });
});

describe('GreCall receive: duplicates, stale, over window, other calls', () => {
  it('delivered_receivedAgain_isDuplicate', () => {
    const call = newCall();
    call.handleGre(0, data(0));
    call.handleGre(0, data(1));
    expect(call.handleGre(0, data(1))).toBe('duplicate');
    expect(call.handleGre(0, data(0))).toBe('duplicate');
    expect(received(call)).toEqual([0, 1]);
    expect(call.counters.rxDuplicate).toBe(2);
  });

  it('held_receivedAgain_isDuplicate', () => {
    const call = newCall();
    call.handleGre(0, data(0));
    call.handleGre(0, data(3));
    expect(call.handleGre(0, data(3))).toBe('duplicate');
    call.handleGre(0, data(1));
    call.handleGre(0, data(2));
    expect(received(call)).toEqual([0, 1, 2, 3]);
  });

  it('farBehind_isStale', () => {
    const call = newCall();
    for (let s = 5000; s < 5010; s++) call.handleGre(0, data(s));
    expect(call.handleGre(0, data(100))).toBe('stale');
    expect(call.handleGre(0, data(5010 + 0x80000000))).toBe('stale'); // exactly half way round from expected: "before"
    expect(call.counters.rxStale).toBe(2);
  });

  it('beyondWindow_single_droppedAsOverWindow', () => {
    const call = newCall({ ourReceiveWindow: 16 });
    call.handleGre(0, data(0));
    expect(call.handleGre(0, data(17))).toBe('over-window'); // expected 1 + window 16
    expect(call.handleGre(0, data(16))).toBe('buffered'); // the last number inside the window
    expect(call.handleGre(0, data(1))).toBe('accepted');
    expect(received(call)).toEqual([0, 1]);
    expect(call.counters.rxOverWindow).toBe(1);
  });

  it('beyondWindow_wildThenConsistent_resyncsOnlyOnConsistentPair', () => {
    const call = newCall({ ourReceiveWindow: 16 });
    call.handleGre(0, data(0));
    call.handleGre(0, data(3)); // held
    expect(call.handleGre(0, data(1_000_000))).toBe('over-window'); // wild
    expect(call.handleGre(0, data(100))).toBe('over-window'); // not within a window of the last one
    expect(call.handleGre(0, data(105))).toBe('resync');
    expect(received(call)).toEqual([0, 3, 105]);
    // 1, 2 given up before 3; 4 .. 104 skipped by the resync.
    expect(call.counters).toMatchObject({ rxOverWindow: 2, rxResyncs: 1, rxAccepted: 3, rxLost: 2 + 101 });
    expect(call.handleGre(0, data(106))).toBe('accepted');
    expect(call.handleGre(0, data(100))).toBe('stale');
  });

  it('otherCallId_droppedAndItsAckIgnored', () => {
    const call = newCall();
    call.sendPayload(0, new Uint8Array([1]));
    transmitted(call);
    const foreign = encodeGrePacket({ callId: LOCAL + 1, sequence: 0, ack: 0, payload: new Uint8Array([9]) });
    expect(call.handleGre(10, foreign)).toBe('wrong-call');
    expect(call.handleGre(10, ackOnly(0, LOCAL + 1))).toBe('wrong-call');
    expect(received(call)).toEqual([]);
    expect(call.counters).toMatchObject({ rxWrongCall: 2, rttMs: undefined });
    expect(call.sendState.inFlight).toBe(1);
  });

  it('malformed_countedWithTypedError_noDelivery', () => {
    const call = newCall();
    const bad = data(0);
    bad[1] = 0x80; // version 0
    expect(call.handleGre(0, bad)).toBe('malformed');
    expect(call.lastDecodeError?.reason).toBe('bad-version');
    expect(call.handleGre(0, new Uint8Array(3))).toBe('malformed');
    expect(call.counters.rxMalformed).toBe(2);
    expect(received(call)).toEqual([]);
    expect(call.nextTimeout()).toBeUndefined();
  });

  it('neitherSequenceNorAck_isEmpty', () => {
    const call = newCall();
    expect(call.handleGre(0, encodeGrePacket({ callId: LOCAL, payload: new Uint8Array(0) }))).toBe('empty');
  });
});

describe('GreCall acknowledgements we send', () => {
  it('idle_afterReceive_sendsOneAckOnlyAfterTheDelay', () => {
    const call = newCall({ ackDelayMs: 50 });
    call.handleGre(1000, data(0));
    call.handleGre(1010, data(1));
    expect(transmitted(call)).toEqual([]);
    expect(call.nextTimeout()).toBe(1050);
    call.handleTimeout(1049);
    expect(transmitted(call)).toEqual([]);
    call.handleTimeout(1050);
    const out = transmitted(call);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ callId: PEER, ack: 1 });
    expect(out[0]!.sequence).toBeUndefined();
    expect(out[0]!.payload.length).toBe(0);
    expect(call.counters.txAcksOnly).toBe(1);
    expect(call.nextTimeout()).toBeUndefined();
  });

  it('dataFlowing_ackPiggyBacked_noAckOnly', () => {
    const call = newCall();
    call.handleGre(0, data(0));
    call.handleGre(5, data(1));
    expect(call.sendPayload(10, new Uint8Array([0xaa]))).toBe('sent');
    const out = transmitted(call);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ callId: PEER, sequence: 0, ack: 1 });
    expect(call.nextTimeout()).toBeUndefined();
    expect(call.counters.txAcksOnly).toBe(0);
  });

  it('nothingReceived_dataCarriesNoAck', () => {
    const call = newCall();
    call.sendPayload(0, new Uint8Array([1]));
    const [p] = transmitted(call);
    expect(p!.ack).toBeUndefined();
    expect(p!.sequence).toBe(0);
  });

  it('burstOf100_producesFewAcks_notOnePerPacket', () => {
    const call = newCall({ ourReceiveWindow: 64 });
    for (let s = 0; s < 100; s++) call.handleGre(s * 0.1, data(s));
    const during = transmitted(call);
    call.handleTimeout(call.nextTimeout()!);
    const after = transmitted(call);
    const acks = [...during, ...after];
    expect(received(call)).toHaveLength(100);
    // Half the window (32) at once, then the delayed one for the tail.
    expect(acks.map((p) => p.ack)).toEqual([31, 63, 95, 99]);
    expect(acks.length).toBeLessThanOrEqual(5);
    expect(call.counters.txAcksOnly).toBe(4);
  });

  it('duplicateOnly_doesNotTriggerAnotherAck', () => {
    const call = newCall();
    call.handleGre(0, data(0));
    call.handleTimeout(50);
    expect(transmitted(call)).toHaveLength(1);
    call.handleGre(60, data(0));
    expect(call.nextTimeout()).toBeUndefined();
  });
});

describe('GreCall send: sequence, window, acknowledgements from the peer', () => {
  it('sendPayload_numbersFrom0_withPeerCallIdInKey', () => {
    const call = newCall();
    for (let i = 0; i < 3; i++) call.sendPayload(i, new Uint8Array([i, i]));
    const out = transmitted(call);
    expect(out.map((p) => p.sequence)).toEqual([0, 1, 2]);
    expect(out.every((p) => p.callId === PEER && p.payload.length === 2)).toBe(true);
    expect(call.counters).toMatchObject({ txPackets: 3, txBytes: 6 });
  });

  it('sendNearWrap_sequenceWrapsTo0_andAcksAcrossTheWrapOpenTheWindow', () => {
    const call = newCall({ initialSendSequence: 0xfffffffe, peerReceiveWindow: 3 });
    for (let i = 0; i < 4; i++) call.sendPayload(0, new Uint8Array([i]));
    expect(transmitted(call).map((p) => p.sequence)).toEqual([0xfffffffe, 0xffffffff, 0]);
    expect(call.handleGre(10, ackOnly(0))).toBe('ack-only');
    expect(transmitted(call).map((p) => p.sequence)).toEqual([1]);
    expect(call.sendState.inFlight).toBe(1);
  });

  it('peerWindowFull_queuesThenSendsAsAcksArrive', () => {
    const call = newCall({ peerReceiveWindow: 4 });
    const verdicts = [];
    for (let i = 0; i < 10; i++) verdicts.push(call.sendPayload(0, new Uint8Array([i])));
    expect(verdicts).toEqual(['sent', 'sent', 'sent', 'sent', ...Array(6).fill('queued')]);
    expect(transmitted(call).map((p) => p.sequence)).toEqual([0, 1, 2, 3]);
    expect(call.sendState).toEqual({ inFlight: 4, queued: 6, window: 4 });
    call.handleGre(20, ackOnly(1));
    expect(transmitted(call).map((p) => p.sequence)).toEqual([4, 5]);
    call.handleGre(30, data(0, 5)); // ack on a data packet opens it too
    const out = transmitted(call);
    expect(out.map((p) => p.sequence)).toEqual([6, 7, 8, 9]);
    expect(out[0]!.ack).toBe(0); // and our data now carries our ack
  });

  it('peerWindowAndQueueFull_dropsAndCounts', () => {
    const call = newCall({ peerReceiveWindow: 2, maxSendQueue: 3 });
    call.handleGre(0, ackOnly(0xffffffff)); // a peer known to ack alone: no probe, the plain queue bound
    const verdicts = [];
    for (let i = 0; i < 7; i++) verdicts.push(call.sendPayload(0, new Uint8Array([i])));
    expect(verdicts).toEqual(['sent', 'sent', 'queued', 'queued', 'queued', 'dropped', 'dropped']);
    expect(call.counters.txWindowDrops).toBe(2);
    expect(transmitted(call)).toHaveLength(2);
  });

  it('dataShareOfTheQueueFull_canAcceptFrameFalse_butControlFramesStillQueue', () => {
    // The session asks canAcceptFrame before it encrypts an IP packet; PPP control frames
    // (LCP echo, CCP Reset, Terminate) skip the question and may use the reserved slots.
    const call = newCall({ peerReceiveWindow: 2, maxSendQueue: 64 });
    call.handleGre(0, ackOnly(0xffffffff)); // known to ack alone: the plain queue bound
    let dataOffered = 0;
    while (call.canAcceptFrame) {
      call.sendPayload(0, new Uint8Array([dataOffered & 0xff]));
      dataOffered++;
    }
    expect(dataOffered).toBe(2 + 64 - CONTROL_FRAME_RESERVE);
    const control = Array.from({ length: CONTROL_FRAME_RESERVE }, () => call.sendPayload(0, new Uint8Array([0xc0, 0x21])));
    expect(control).toEqual(Array(CONTROL_FRAME_RESERVE).fill('queued'));
    expect(call.sendPayload(0, new Uint8Array([0xc0, 0x21]))).toBe('dropped'); // the whole queue is bounded still
    expect(call.sendState).toEqual({ inFlight: 2, queued: 64, window: 2 });
  });

  it('peerWindowZero_treatedAsOne', () => {
    const call = newCall({ peerReceiveWindow: 0 });
    call.sendPayload(0, new Uint8Array([1]));
    call.sendPayload(0, new Uint8Array([2]));
    expect(transmitted(call)).toHaveLength(1);
    expect(call.sendState.window).toBe(1);
  });

  it('windowFullNoAck_writtenOffAfterAckTimeout_windowReopens', () => {
    const call = newCall({ peerReceiveWindow: 2, initialSendSequence: 10 });
    // The peer acknowledges on its own (an ack-only packet, before anything is in flight).
    call.handleGre(50, ackOnly(9));
    expect(call.peerAckStyle).toBe('alone');
    for (let i = 0; i < 3; i++) call.sendPayload(100, new Uint8Array([i]));
    expect(transmitted(call)).toHaveLength(2);
    expect(call.nextTimeout()).toBe(100 + 1000); // no RTT sample yet: 1 s
    call.handleTimeout(1100);
    expect(transmitted(call).map((p) => p.sequence)).toEqual([12]);
    expect(call.counters.txWindowStalls).toBe(1);
    // A late ack for a written-off packet is old news.
    call.handleGre(1200, ackOnly(10));
    expect(call.counters.rxBadAcks).toBe(0);
    expect(call.sendState.inFlight).toBe(1);
  });

  it('peerNeverAcksAlone_windowFullProbeExpires_windowNoLongerEnforced', () => {
    // The Linux kernel's pptp module: acks only on its data, never an ack-only packet.
    const call = newCall({ peerReceiveWindow: 4 });
    call.sendPayload(0, new Uint8Array([0]));
    call.handleGre(20, data(0, 0)); // a piggy-backed ack: RTT 20 ms
    transmitted(call);
    for (let i = 1; i <= 10; i++) call.sendPayload(100, new Uint8Array([i]));
    expect(transmitted(call).map((p) => p.sequence)).toEqual([1, 2, 3, 4]);
    expect(call.peerAckStyle).toBe('unknown');
    // The probe: two round trips (40 ms), at least 50 ms; shorter than the 1 s-ish ATO.
    expect(call.nextTimeout()).toBe(100 + 50);
    call.handleTimeout(150);
    expect(call.peerAckStyle).toBe('piggyback-only');
    expect(transmitted(call).map((p) => p.sequence)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(call.counters.txWindowStalls).toBe(0);
    // From now on nothing waits for the window.
    const verdicts = [];
    for (let i = 0; i < 20; i++) verdicts.push(call.sendPayload(200, new Uint8Array([i])));
    expect(verdicts.every((v) => v === 'sent')).toBe(true);
    expect(transmitted(call)).toHaveLength(20);
    expect(call.counters.txBeyondWindow).toBeGreaterThanOrEqual(20);
    expect(call.sendState.inFlight).toBeLessThanOrEqual(4);
    expect(call.nextTimeout()).toBeUndefined();
  });

  it('probeForAnAckOnly_framesOfferedMeanwhileWait_noneDropped_thenGoOutAtOnce', () => {
    // A one-way upload at ~1,000 packets/s to a kernel peer 190 ms away: the probe lasts two
    // round trips, and the 380 frames offered during it must wait, not drop (64 did, once).
    const call = newCall({ peerReceiveWindow: 4 });
    call.sendPayload(0, new Uint8Array([0]));
    call.handleGre(190, data(0, 0)); // a piggy-backed ack: RTT 190 ms
    transmitted(call);
    let dropped = 0;
    for (let i = 0; i < 384; i++) if (call.sendPayload(200 + i, new Uint8Array([i & 0xff])) === 'dropped') dropped++;
    expect(dropped).toBe(0);
    expect(transmitted(call)).toHaveLength(4);
    expect(call.sendState).toEqual({ inFlight: 4, queued: 380, window: 4 });
    expect(call.canAcceptFrame).toBe(true);
    expect(call.nextTimeout()).toBe(203 + 380); // the window filled with the fourth frame, at 203
    call.handleTimeout(583);
    expect(call.peerAckStyle).toBe('piggyback-only');
    // Replayed at twice the pace they came (one per ms): two per ms, not one burst of 380.
    const releases: number[] = [];
    releases.push(transmitted(call).length);
    for (let t = call.nextTimeout(); t !== undefined && t < 2_000; t = call.nextTimeout()) {
      call.handleTimeout(t);
      releases.push(transmitted(call).length);
    }
    expect(releases.reduce((a, b) => a + b, 0)).toBe(380);
    expect(Math.max(...releases)).toBeLessThanOrEqual(2);
    expect(call.counters.txWindowDrops).toBe(0);
    // Done one probe length after it ended: frame 383 came at 583, due at 583 + (583 - 204) / 2.
    expect(call.sendState.queued).toBe(0);
    expect(call.canAcceptFrame).toBe(true);
    expect(call.sendPayload(800, new Uint8Array([1]))).toBe('sent');
  });

  it('replayAfterTheProbe_framesOfferedDuringIt_queueBehindInOrder_andNeverDropped', () => {
    const call = newCall({ peerReceiveWindow: 2 });
    for (let i = 0; i < 100; i++) call.sendPayload(i, new Uint8Array([i]));
    const t = call.nextTimeout()!;
    expect(t).toBe(1 + 1000); // no RTT sample: the probe is the initial 1 s timeout
    call.handleTimeout(t);
    const seen = transmitted(call).map((p) => p.payload[0]!);
    // New frames keep coming at one per ms while the replay runs: none may overtake or drop.
    for (let now = t; now < t + 200; now++) {
      call.sendPayload(now, new Uint8Array([100 + (now - t)]));
      call.handleTimeout(now);
      seen.push(...transmitted(call).map((p) => p.payload[0]!));
    }
    for (let n = call.nextTimeout(); n !== undefined && n < t + 2_000; n = call.nextTimeout()) {
      call.handleTimeout(n);
      seen.push(...transmitted(call).map((p) => p.payload[0]!));
    }
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i & 0xff));
    expect(call.counters.txWindowDrops).toBe(0);
  });

  it('probe_peerTurnsOutToAckAlone_heldFramesDrainWithTheWindow_thenTheQueueBoundIsTheSmallOneAgain', () => {
    const call = newCall({ peerReceiveWindow: 4, maxSendQueue: 16 });
    for (let i = 0; i < 4 + 100; i++) call.sendPayload(0, new Uint8Array([i & 0xff]));
    expect(call.sendState.queued).toBe(100);
    expect(call.counters.txWindowDrops).toBe(0);
    call.handleGre(30, ackOnly(3)); // within the probe: this peer acks alone, the window rules
    expect(call.peerAckStyle).toBe('alone');
    expect(transmitted(call).map((p) => p.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The 96 still queued are kept, but no new data frame is taken until the queue is below
    // the small bound again (less the control-frame reserve).
    expect(call.canAcceptFrame).toBe(false);
    let ack = 7;
    while (call.sendState.queued >= 16 - CONTROL_FRAME_RESERVE) {
      call.handleGre(40 + ack, ackOnly(ack));
      ack += transmitted(call).length;
    }
    expect(call.canAcceptFrame).toBe(true);
    expect(call.counters.txWindowDrops).toBe(0);
  });

  it('probeQueueFull_theRestIsDropped_theQueueIsBoundedStill', () => {
    const call = newCall({ peerReceiveWindow: 2, maxSendQueue: 3, maxProbeSendQueue: 10 });
    const verdicts = [];
    for (let i = 0; i < 14; i++) verdicts.push(call.sendPayload(0, new Uint8Array([i])));
    expect(verdicts).toEqual(['sent', 'sent', ...Array(10).fill('queued'), 'dropped', 'dropped']);
    expect(call.counters.txWindowDrops).toBe(2);
  });

  it('piggybackOnlyPeer_laterSendsAckOnly_windowEnforcedAgain', () => {
    const call = newCall({ peerReceiveWindow: 2 });
    for (let i = 0; i < 3; i++) call.sendPayload(0, new Uint8Array([i]));
    call.handleTimeout(1000); // no RTT sample: the probe is the 1 s initial timeout
    expect(call.peerAckStyle).toBe('piggyback-only');
    transmitted(call);
    call.handleGre(1010, ackOnly(2));
    expect(call.peerAckStyle).toBe('alone');
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(call.sendPayload(1020, new Uint8Array([i])));
    expect(verdicts).toEqual(['sent', 'sent', 'queued']);
  });

  it('acksPiggyBackedOnly_butWindowNeverFills_staysUnknownAndEnforced', () => {
    const call = newCall({ peerReceiveWindow: 4 });
    for (let i = 0; i < 8; i++) {
      call.sendPayload(i * 10, new Uint8Array([i]));
      call.handleGre(i * 10 + 5, data(i, i));
    }
    expect(call.peerAckStyle).toBe('unknown');
    expect(call.counters.txBeyondWindow).toBe(0);
  });

  it('ackProgress_whileStillFull_restartsTheStallTimer', () => {
    const call = newCall({ peerReceiveWindow: 2 });
    for (let i = 0; i < 4; i++) call.sendPayload(0, new Uint8Array([i]));
    call.handleGre(500, ackOnly(0)); // seq 2 goes out; window full again
    // First RTT sample 500 ms: ATO = 500 + 4 * 250 = 1500 ms from the progress, not from t=0.
    expect(call.nextTimeout()).toBe(500 + 1500);
  });

  it('ackForUnsentSequence_countedBadAndIgnored', () => {
    const call = newCall();
    call.sendPayload(0, new Uint8Array([1]));
    call.handleGre(5, ackOnly(7));
    expect(call.counters.rxBadAcks).toBe(1);
    expect(call.sendState.inFlight).toBe(1);
    expect(call.counters.rttMs).toBeUndefined();
  });

  it('acks_giveSmoothedRtt', () => {
    const call = newCall();
    call.sendPayload(0, new Uint8Array([1]));
    call.handleGre(80, ackOnly(0));
    expect(call.counters.rttMs).toBe(80);
    call.sendPayload(100, new Uint8Array([2]));
    call.handleGre(140, ackOnly(1));
    expect(call.counters.rttMs).toBe(80 + (40 - 80) / 8);
    call.handleGre(150, ackOnly(1)); // a repeated ack is no new sample
    expect(call.counters.rttMs).toBe(75);
  });

  it('cumulativeAck_samplesTheAckedSequenceOnly', () => {
    const call = newCall();
    call.sendPayload(0, new Uint8Array([1]));
    call.sendPayload(30, new Uint8Array([2]));
    call.handleGre(100, ackOnly(1));
    expect(call.counters.rttMs).toBe(70);
    expect(call.sendState.inFlight).toBe(0);
  });

  it('frameOver65535Bytes_tooLarge', () => {
    const call = newCall();
    expect(call.sendPayload(0, new Uint8Array(0x10000))).toBe('too-large');
    expect(transmitted(call)).toEqual([]);
    expect(call.counters.txWindowDrops).toBe(1);
  });

  it('sentFrame_isCopied_callerMayReuseBuffer', () => {
    const call = newCall({ peerReceiveWindow: 1 });
    const frame = new Uint8Array([1]);
    call.sendPayload(0, frame);
    call.sendPayload(0, frame); // queued
    frame[0] = 9;
    call.handleGre(10, ackOnly(0));
    expect(transmitted(call).map((p) => p.payload[0])).toEqual([1, 1]);
  });
});

describe('GreCall with the send path frame pool', () => {
  function pooledCall(pool: FramePool, window = 64): GreCall {
    return new GreCall({ localCallId: LOCAL, peerCallId: PEER, peerReceiveWindow: window }, pool);
  }

  /** A frame as the PPP link builds it with a pool: at the end of a slot, headroom before it. */
  function pooledFrame(pool: FramePool, payload: Uint8Array): { buffer: Uint8Array; start: number } {
    const buffer = pool.acquire(16 + payload.length);
    const start = buffer.length - payload.length;
    buffer.set(payload, start);
    return { buffer, start };
  }

  it('dataPacket_isWrittenInItsSlot_andPolledAsBufferAndStart', () => {
    const pool = new FramePool(4, 128);
    const call = pooledCall(pool);
    const { buffer, start } = pooledFrame(pool, Uint8Array.of(1, 2, 3));
    expect(call.sendPayloadAt(0, buffer, start)).toBe('sent');
    const out = call.pollTransmitAt();
    expect(out).toBe(buffer); // no copy, no view
    const packet = decodeGrePacket(out!.subarray(call.lastTransmitStart));
    expect(packet.ok && packet.value).toMatchObject({ callId: PEER, sequence: 0, payload: Uint8Array.of(1, 2, 3) });
    expect(pool.release(out!)).toBe('released');
  });

  it('ackOnlyPacket_comesFromThePool_andMatchesTheCodec', () => {
    const pool = new FramePool(4, 128);
    const call = pooledCall(pool);
    for (let s = 0; s < 32; s++) call.handleGre(0, data(s)); // half our window: an ack at once
    const out = call.pollTransmitAt();
    expect(out).toBeDefined();
    expect(pool.owns(out!)).toBe(true);
    expect(out!.subarray(call.lastTransmitStart)).toEqual(encodeGrePacket({ callId: PEER, ack: 31, payload: new Uint8Array(0) }));
    expect(pool.free).toBe(3);
    expect(pool.release(out!)).toBe('released');
    expect(pool.free).toBe(4);
  });

  it('frameCopiedBehindAClosedWindow_goesBackToThePool', () => {
    const pool = new FramePool(4, 128);
    const call = pooledCall(pool, 1);
    const first = pooledFrame(pool, Uint8Array.of(1));
    expect(call.sendPayloadAt(0, first.buffer, first.start)).toBe('sent');
    const second = pooledFrame(pool, Uint8Array.of(2));
    expect(call.sendPayloadAt(0, second.buffer, second.start)).toBe('queued');
    // The queued copy is GRE's own; the slot is free again (only the first is out, with the driver).
    expect(pool.free).toBe(3);
    expect(pool.owns(call.pollTransmitAt()!)).toBe(true);
    call.handleGre(1, ackOnly(0)); // the window opens: the queued frame goes out from its copy
    const sent = call.pollTransmit()!;
    const decoded = decodeGrePacket(sent);
    expect(decoded.ok && decoded.value).toMatchObject({ sequence: 1, payload: Uint8Array.of(2) });
  });
});
