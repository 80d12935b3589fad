/**
 * A minimal layer and one fixture per RFC 1661 state for the automaton tests. The layer speaks
 * one option (type 1, one octet): value 1 is acceptable, value 2 is Nak'd towards 1, type 99 is
 * rejected. Code 9 is an Echo-Request (RXR, answered by ser), code 11 a Discard (RXR).
 */
import { Fsm } from '../../../../main/engine/ppp/fsm';
import type {
  ExtraCodeVerdict,
  FsmFinishCause,
  FsmLayer,
  FsmState,
  FsmTiming,
  NonConvergence,
  OptionVerdict,
  RequestCheck,
  ReplyVerdict,
} from '../../../../main/engine/ppp/fsm';
import type { ControlPacket, PppOption } from '../../../../main/engine/ppp/packet';
import { decodeControlPacket, encodeControlPacket, encodeOptions } from '../../../../main/engine/ppp/packet';

export const GOOD: PppOption = { type: 1, data: Uint8Array.of(1) };
export const NAKKED: PppOption = { type: 1, data: Uint8Array.of(2) };
export const UNKNOWN: PppOption = { type: 99, data: Uint8Array.of(7, 7) };

export class TestLayer implements FsmLayer {
  readonly name = 'TEST';
  readonly log: string[] = [];
  finishCauses: FsmFinishCause[] = [];
  nonConvergence: NonConvergence[] = [];
  requestValue = 1;
  nakVerdict: ReplyVerdict = 'ok';
  resets = 0;
  lastTreatAsReject = false;

  resetOptions(): void {
    this.resets++;
  }
  buildRequest(): PppOption[] {
    return [{ type: 1, data: Uint8Array.of(this.requestValue) }];
  }
  checkRequest(_now: number, options: readonly PppOption[]): RequestCheck {
    const verdicts: OptionVerdict[] = options.map((o) => {
      if (o.type !== 1) return { kind: 'reject' };
      if (o.data[0] === 1) return { kind: 'ack' };
      return { kind: 'nak', suggest: GOOD };
    });
    return { verdicts };
  }
  onAck(): void {
    this.log.push('ack');
  }
  onNak(_now: number, options: readonly PppOption[], treatAsReject: boolean): ReplyVerdict {
    this.lastTreatAsReject = treatAsReject;
    const v = options[0]?.data[0];
    if (v !== undefined && !treatAsReject) this.requestValue = v;
    return this.nakVerdict;
  }
  onReject(): ReplyVerdict {
    return 'ok';
  }
  up(): void {
    this.log.push('tlu');
  }
  down(): void {
    this.log.push('tld');
  }
  started(): void {
    this.log.push('tls');
  }
  finished(_now: number, cause: FsmFinishCause): void {
    this.log.push('tlf');
    this.finishCauses.push(cause);
  }
  notConverging(_now: number, detail: NonConvergence): void {
    this.nonConvergence.push(detail);
  }
  handleExtraCode(_now: number, packet: ControlPacket): ExtraCodeVerdict {
    return packet.code === 9 || packet.code === 11 ? 'rxr' : 'unknown';
  }
  echoReply(): Uint8Array {
    return Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
  }
}

export interface Harness {
  fsm: Fsm;
  layer: TestLayer;
  /** Packets sent since the fixture was reached. */
  sent: ControlPacket[];
  /** Every packet ever sent (never cleared). */
  history: ControlPacket[];
  now: number;
}

export function makeHarness(timing?: Partial<FsmTiming>): Harness {
  const layer = new TestLayer();
  const sent: ControlPacket[] = [];
  const history: ControlPacket[] = [];
  const fsm = new Fsm(
    0x1234,
    layer,
    (bytes) => {
      const p = decodeControlPacket(bytes);
      if (!p.ok) throw new Error('FSM sent an undecodable packet');
      sent.push(p.value);
      history.push(p.value);
    },
    { trace: true, ...(timing ? { timing } : {}) },
  );
  return { fsm, layer, sent, history, now: 1000 };
}

export function packet(code: number, identifier: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encodeControlPacket({ code, identifier, data });
}

export function configureRequest(id: number, options: PppOption[] = [GOOD]): Uint8Array {
  return packet(1, id, encodeOptions(options));
}

export function lastRequest(h: Harness): ControlPacket | undefined {
  return [...h.history].reverse().find((p) => p.code === 1);
}

/** Acks our latest Configure-Request exactly. */
export function ackLatest(h: Harness): void {
  const req = lastRequest(h);
  h.fsm.handlePacket(h.now, packet(2, req?.identifier ?? 0, req?.data ?? encodeOptions([GOOD])));
}

/** Drives a fresh automaton into `state` through real inputs only. */
export function fixture(state: FsmState, timing?: Partial<FsmTiming>): Harness {
  const h = makeHarness(timing);
  const f = h.fsm;
  switch (state) {
    case 'initial':
      break;
    case 'starting':
      f.open(h.now);
      break;
    case 'closed':
      f.up(h.now);
      break;
    case 'req-sent':
      f.open(h.now);
      f.up(h.now);
      break;
    case 'ack-rcvd':
      f.open(h.now);
      f.up(h.now);
      ackLatest(h);
      break;
    case 'ack-sent':
      f.open(h.now);
      f.up(h.now);
      f.handlePacket(h.now, configureRequest(0x30));
      break;
    case 'opened':
      f.open(h.now);
      f.up(h.now);
      f.handlePacket(h.now, configureRequest(0x30));
      ackLatest(h);
      break;
    case 'stopped':
      f.open(h.now);
      f.up(h.now);
      f.handlePacket(h.now, packet(7, 0x31, configureRequest(0x99))); // Code-Reject of Configure-Request
      break;
    case 'closing':
      f.open(h.now);
      f.up(h.now);
      f.close(h.now);
      break;
    case 'stopping': {
      const o = fixture('opened', timing);
      o.fsm.handlePacket(o.now, packet(7, 0x32, configureRequest(0x99))); // RXJ- in Opened: tld,irc,str/5
      o.sent.length = 0;
      o.layer.log.length = 0;
      o.fsm.trace!.length = 0;
      if (o.fsm.state !== 'stopping') throw new Error(`fixture stopping reached ${o.fsm.state}`);
      return o;
    }
  }
  if (f.state !== state) throw new Error(`fixture ${state} reached ${f.state}`);
  h.sent.length = 0;
  h.layer.log.length = 0;
  h.fsm.trace!.length = 0;
  return h;
}
