/**
 * The one RFC 1661 §4 option-negotiation automaton, shared by LCP, IPCP and CCP (pppd's fsm.c,
 * accel-ppp's ppp_fsm.c). The transitions come from the table in fsm-table.ts and nowhere else;
 * this file turns inputs into RFC events, runs the table's actions, and keeps the counters and
 * identifiers the RFC asks for.
 *
 * What a layer supplies (FsmLayer, after pppd's callbacks): its Configure-Request options, a
 * verdict on each option of the peer's request, what to do with a Nak / Reject / Ack of ours,
 * the four layer actions (up / down / started / finished) and its extra codes (LCP:
 * Protocol-Reject, Echo, Discard; CCP: Reset-Request/Ack).
 *
 * Rules kept here (RFC 1661 §4.6, §5.1-5.4):
 *  - Restart timer 3 s, Max-Configure 10, Max-Terminate 2, Max-Failure 5 (all configurable).
 *    The counter is set by irc and decremented by each scr/str; a timeout with the counter at 0
 *    is TO-.
 *  - A new Configure-Request (new contents, or after any valid reply) gets a new Identifier; a
 *    retransmission on TO+ keeps the Identifier and the exact bytes.
 *  - A Configure-Ack/Nak/Reject must carry the Identifier of our latest request, and only the
 *    first reply to a request counts (pppd's seen_ack): stale and duplicated replies, common on
 *    a lossy GRE path, are dropped and counted. An Ack must repeat our options exactly and a
 *    Reject may only name options we sent; anything else is dropped as invalid. (So the
 *    table's crossed-connection cells, RCA/RCN in Ack-Rcvd and Opened, cannot be reached from
 *    the wire: they stay in the table for completeness.)
 *  - In Opened, a Configure-Request with the Identifier and options of the one we last Ack'd
 *    is a retransmission (our Ack was lost; §5.1 gives a new request a new Identifier): it is
 *    Ack'd again instead of restarting the layer as the table's RCR row would.
 *  - After Max-Failure Configure-Naks in one negotiation, further Naks we would send become
 *    Rejects and Naks we receive are handled as Rejects. A negotiation that still does not
 *    converge after twice Max-Failure such rounds is reported to the layer (notConverging),
 *    which ends the link with 'negotiation-failed' instead of looping forever at wire speed.
 *
 * Must not: read a clock, throw on wire input, or know what any option means.
 *
 * Beside it: fsm-table.ts (the transitions), fsm-contract.ts (what a layer supplies and gets
 * back, re-exported here so a layer imports the automaton and its contract from one module),
 * fsm-reply.ts (which reply a Configure-Request gets).
 *
 * Why one file of ~450 lines: what remains is the automaton itself. Its state — the RFC state,
 * the restart counter, the identifiers, our outstanding request, the request we last Ack'd and
 * the Nak counters — is read and written by every input path and every action, and the rules
 * above hold only because they are enforced in one place (pppd's fsm.c is one file for the
 * same reason). Splitting it further would pass that state between files and scatter the rules.
 *
 * Driver order: up/down/open/close commands and handlePacket(now, info) / handleTimeout(now)
 * in any order; packets go out through the `transmit` function given at construction, in
 * the order the actions produce them; nextTimeout() afterwards.
 */
import { TimerTable } from '../timers';
import { bytesEqual, copyBytes } from '../wire/bytes';
import type { WireError } from '../wire/wire-error';
import type { FsmCounters, FsmFinishCause, FsmLayer, FsmOptions, FsmTiming, FsmTraceEntry, ReplyVerdict } from './fsm-contract';
import { DEFAULT_FSM_TIMING } from './fsm-contract';
import { assembleReply } from './fsm-reply';
import type { FsmAction, FsmEvent, FsmState, FsmTransition } from './fsm-table';
import { fsmTransition } from './fsm-table';
import type { ControlPacket, PppOption } from './packet';
import {
  CODE_CODE_REJECT,
  CODE_CONFIGURE_ACK,
  CODE_CONFIGURE_NAK,
  CODE_CONFIGURE_REJECT,
  CODE_CONFIGURE_REQUEST,
  CODE_ECHO_REPLY,
  CODE_ECHO_REQUEST,
  CODE_TERMINATE_ACK,
  CODE_TERMINATE_REQUEST,
  decodeControlPacket,
  decodeOptions,
  encodeControlPacket,
  encodeOptions,
  optionsEqual,
} from './packet';

export type { FsmAction, FsmEvent, FsmState } from './fsm-table';
export type {
  ExtraCodeVerdict,
  FsmCounters,
  FsmFinishCause,
  FsmLayer,
  FsmOptions,
  FsmTiming,
  FsmTraceEntry,
  NonConvergence,
  OptionVerdict,
  ReplyVerdict,
  RequestCheck,
} from './fsm-contract';
export { DEFAULT_FSM_TIMING } from './fsm-contract';

const TIMER_STATES: ReadonlySet<FsmState> = new Set(['closing', 'stopping', 'req-sent', 'ack-rcvd', 'ack-sent']);
const NEGOTIATING: ReadonlySet<FsmState> = new Set(['req-sent', 'ack-rcvd', 'ack-sent']);
/** States in which a Configure-Ack/Nak/Reject must answer our latest request. */
const REPLY_CHECKED: ReadonlySet<FsmState> = new Set(['req-sent', 'ack-rcvd', 'ack-sent', 'opened']);
const TRACE_LIMIT = 256;

interface Context {
  readonly packet?: ControlPacket;
  /** The raw bytes of the received packet (for scj). */
  readonly raw?: Uint8Array;
  /** The reply decided for an RCR event. */
  readonly reply?: ControlPacket;
}

export class Fsm {
  readonly timing: FsmTiming;
  readonly counters: FsmCounters = {
    received: 0,
    malformed: 0,
    staleReplies: 0,
    invalidReplies: 0,
    ignored: 0,
    configureRequestsSent: 0,
    codeRejectsSent: 0,
    repeatedRequests: 0,
  };
  /** The last decode error of a dropped packet, for failure messages. */
  lastMalformed: WireError | undefined;
  readonly trace: FsmTraceEntry[] | undefined;

  private st: FsmState = 'initial';
  private readonly timers = new TimerTable<'restart'>();
  private restartCount = 0;
  private identifier: number;
  private requestId = 0;
  private requestData: Uint8Array | undefined;
  private requestOptions: PppOption[] = [];
  /** The peer's request we last Ack'd (identifier and options), to recognise its retransmission. */
  private lastAcked: { readonly identifier: number; readonly data: Uint8Array } | undefined;
  private awaitingReply = false;
  private terminateId = 0;
  private terminateData: Uint8Array = new Uint8Array(0);
  private naksReceived = 0;
  private naksSent = 0;
  private optionsReset = false;
  /** Why the layer is terminating, decided by the event that started it (Close, RTR, RXJ-). */
  private endCause: FsmFinishCause = { kind: 'closed' };
  private readonly maxPacket: () => number;

  constructor(
    readonly protocol: number,
    private readonly layer: FsmLayer,
    private readonly transmit: (packet: Uint8Array) => void,
    options: FsmOptions = {},
  ) {
    this.timing = { ...DEFAULT_FSM_TIMING, ...options.timing };
    this.identifier = (options.initialIdentifier ?? 1) & 0xff;
    this.trace = options.trace ? [] : undefined;
    this.maxPacket = options.maxPacket ?? (() => 1500);
  }

  get state(): FsmState {
    return this.st;
  }

  get isOpened(): boolean {
    return this.st === 'opened';
  }

  // ---- commands -------------------------------------------------------------------------------

  up(now: number): void {
    this.apply(now, 'up', {});
  }

  down(now: number): void {
    this.apply(now, 'down', {});
  }

  open(now: number): void {
    this.apply(now, 'open', {});
  }

  /** Administrative Close; `reason` travels in the Terminate-Request's Data (pppd sends text). */
  close(now: number, reason?: Uint8Array): void {
    if (reason) this.terminateData = reason;
    this.apply(now, 'close', {});
  }

  /** Sends a packet outside the automaton (Echo, Protocol-Reject, Reset); returns its identifier. */
  sendPacket(code: number, data: Uint8Array, identifier?: number): number {
    const id = identifier ?? this.nextIdentifier();
    this.transmit(encodeControlPacket({ code, identifier: id, data }));
    return id;
  }

  // ---- inputs ---------------------------------------------------------------------------------

  handleTimeout(now: number): void {
    for (const _ of this.timers.expire(now)) this.apply(now, this.restartCount > 0 ? 'to+' : 'to-', {});
  }

  nextTimeout(): number | undefined {
    return this.timers.nextTimeout();
  }

  handlePacket(now: number, info: Uint8Array): void {
    this.counters.received++;
    if (this.st === 'initial' || this.st === 'starting') {
      this.counters.ignored++; // RFC 1661 §4.2: no packets while the lower layer is down
      return;
    }
    const decoded = decodeControlPacket(info);
    if (!decoded.ok) return this.malformed(decoded.error);
    const packet = decoded.value;
    switch (packet.code) {
      case CODE_CONFIGURE_REQUEST:
        return this.receiveConfigureRequest(now, packet);
      case CODE_CONFIGURE_ACK:
        return this.receiveConfigureAck(now, packet);
      case CODE_CONFIGURE_NAK:
      case CODE_CONFIGURE_REJECT:
        return this.receiveConfigureNakOrReject(now, packet);
      case CODE_TERMINATE_REQUEST:
        this.layer.onTerminateRequest?.(now, packet);
        return this.apply(now, 'rtr', { packet });
      case CODE_TERMINATE_ACK:
        return this.apply(now, 'rta', { packet });
      case CODE_CODE_REJECT: {
        // RFC 1661 §5.6: rejecting one of the codes the automaton needs is catastrophic.
        const rejected = packet.data[0] ?? 0;
        const catastrophic = rejected >= CODE_CONFIGURE_REQUEST && rejected <= CODE_CODE_REJECT;
        this.apply(now, catastrophic ? 'rxj-' : 'rxj+', { packet });
        this.layer.onCodeReject?.(now, rejected);
        return;
      }
      default: {
        const verdict = this.layer.handleExtraCode?.(now, packet) ?? 'unknown';
        if (verdict === 'handled') return;
        return this.apply(now, verdict === 'unknown' ? 'ruc' : verdict, { packet, raw: info.subarray(0, 4 + packet.data.length) });
      }
    }
  }

  // ---- receive helpers ------------------------------------------------------------------------

  private malformed(error: WireError): void {
    this.counters.malformed++;
    this.lastMalformed = error;
  }

  private receiveConfigureRequest(now: number, packet: ControlPacket): void {
    const options = decodeOptions(packet.data);
    if (!options.ok) return this.malformed(options.error);
    // RFC 1661 §5.1: a request with the Identifier and options of the one we Ack'd is a
    // retransmission (a new request gets a new Identifier): in Opened it means our Configure-Ack
    // was lost. Repeat the Ack; the table's tld,scr,sca would restart the layer (and end the
    // session, for LCP) over one packet lost on the GRE path.
    const acked = this.lastAcked;
    if (this.st === 'opened' && acked && acked.identifier === packet.identifier && bytesEqual(acked.data, packet.data)) {
      this.counters.repeatedRequests++;
      this.transmit(encodeControlPacket({ code: CODE_CONFIGURE_ACK, identifier: packet.identifier, data: packet.data }));
      return;
    }
    // A request in Stopped or Opened starts a new negotiation (tld/irc,scr): reset our side
    // first, so that the check compares against the options we are about to send (pppd order).
    if (this.st === 'stopped' || this.st === 'opened') this.beginNegotiation();
    const rejectIfDisagree = this.naksSent >= this.timing.maxFailure;
    const check = this.layer.checkRequest(now, options.value, rejectIfDisagree);
    const reply = assembleReply(packet, options.value, check, rejectIfDisagree);
    const good = reply.code === CODE_CONFIGURE_ACK;
    this.apply(now, good ? 'rcr+' : 'rcr-', { packet, reply });
    if (!good && NEGOTIATING.has(this.st)) {
      this.naksSent++;
      if (this.naksSent > 2 * this.timing.maxFailure) {
        const refused = decodeOptions(reply.data);
        this.layer.notConverging(now, {
          direction: 'theirs',
          rounds: this.naksSent,
          optionTypes: refused.ok ? refused.value.map((o) => o.type) : [],
        });
      }
    }
  }

  /** False (and counted) when a reply does not answer our latest outstanding request. */
  private answersOurRequest(packet: ControlPacket): boolean {
    if (!REPLY_CHECKED.has(this.st)) return true; // Closed/Stopped/Closing/Stopping: the table decides
    if (packet.identifier === this.requestId && this.awaitingReply) return true;
    this.counters.staleReplies++;
    return false;
  }

  private receiveConfigureAck(now: number, packet: ControlPacket): void {
    if (!this.answersOurRequest(packet)) return;
    if (REPLY_CHECKED.has(this.st)) {
      if (!this.requestData || !bytesEqual(packet.data, this.requestData)) {
        this.counters.invalidReplies++; // RFC 1661 §5.2: must repeat our options exactly
        return;
      }
      this.awaitingReply = false;
      this.layer.onAck(this.requestOptions);
    }
    this.apply(now, 'rca', { packet });
  }

  private receiveConfigureNakOrReject(now: number, packet: ControlPacket): void {
    if (!this.answersOurRequest(packet)) return;
    if (REPLY_CHECKED.has(this.st)) {
      const options = decodeOptions(packet.data);
      if (!options.ok) return this.malformed(options.error);
      let verdict: ReplyVerdict;
      if (packet.code === CODE_CONFIGURE_NAK) {
        verdict = this.layer.onNak(now, options.value, this.naksReceived >= this.timing.maxFailure);
      } else {
        // RFC 1661 §5.4: a Reject may only name options of our request, unchanged.
        const subset = options.value.every((o) => this.requestOptions.some((mine) => optionsEqual(o, mine)));
        verdict = subset ? this.layer.onReject(now, options.value) : 'bad';
      }
      if (verdict === 'bad') {
        this.counters.invalidReplies++;
        return;
      }
      this.awaitingReply = false;
      if (verdict === 'fatal') return; // the layer reported a failure; the link ends it
      this.naksReceived++;
      if (this.naksReceived > 2 * this.timing.maxFailure) {
        this.layer.notConverging(now, {
          direction: 'ours',
          rounds: this.naksReceived,
          optionTypes: options.value.map((o) => o.type),
        });
        return;
      }
    }
    this.apply(now, 'rcn', { packet });
  }

  // ---- the automaton --------------------------------------------------------------------------

  private apply(now: number, event: FsmEvent, ctx: Context): void {
    const from = this.st;
    const t = fsmTransition(from, event);
    if (!t) {
      this.counters.ignored++;
      this.record({ at: now, event, from, to: from, actions: [], illegal: true });
      return;
    }
    this.record({ at: now, event, from, to: t.next, actions: t.actions });
    this.st = t.next;
    if (event === 'close') this.endCause = { kind: 'closed' };
    else if (event === 'rtr') this.endCause = { kind: 'peer-terminated' };
    else if (event === 'rxj-') this.endCause = { kind: 'rejected', code: ctx.packet?.data[0] ?? 0 };
    if (t.next === 'opened' && from !== 'opened') {
      this.naksReceived = 0;
      this.naksSent = 0;
    }
    for (const action of t.actions) this.act(now, action, event, from, t, ctx);
    if (!TIMER_STATES.has(this.st)) this.timers.clear('restart');
  }

  private act(now: number, action: FsmAction, event: FsmEvent, from: FsmState, t: FsmTransition, ctx: Context): void {
    switch (action) {
      case 'tlu':
        return this.layer.up(now);
      case 'tld':
        return this.layer.down(now);
      case 'tls':
        return this.layer.started(now);
      case 'tlf':
        return this.layer.finished(now, this.finishCause(event, from));
      case 'irc':
        this.restartCount = t.actions.includes('str') ? this.timing.maxTerminate : this.timing.maxConfigure;
        return;
      case 'zrc':
        this.restartCount = 0;
        this.timers.set('restart', now + this.timing.restartMs);
        return;
      case 'scr':
        return this.sendConfigureRequest(now, event === 'to+', from);
      case 'sca':
      case 'scn':
        if (!ctx.reply) return;
        this.lastAcked = action === 'sca' ? { identifier: ctx.reply.identifier, data: copyBytes(ctx.reply.data) } : undefined;
        this.transmit(encodeControlPacket(ctx.reply));
        return;
      case 'str':
        if (event !== 'to+') this.terminateId = this.nextIdentifier();
        this.transmit(encodeControlPacket({ code: CODE_TERMINATE_REQUEST, identifier: this.terminateId, data: this.terminateData }));
        this.restartCount--;
        this.timers.set('restart', now + this.timing.restartMs);
        return;
      case 'sta':
        this.transmit(
          encodeControlPacket({
            code: CODE_TERMINATE_ACK,
            identifier: ctx.packet?.identifier ?? this.nextIdentifier(),
            data: new Uint8Array(0),
          }),
        );
        return;
      case 'scj': {
        // RFC 1661 §5.6: the rejected packet, truncated to fit the peer's MRU.
        const rejected = ctx.raw ?? (ctx.packet ? encodeControlPacket(ctx.packet) : new Uint8Array(0));
        const room = Math.max(0, this.maxPacket() - 4);
        this.counters.codeRejectsSent++;
        this.sendPacket(CODE_CODE_REJECT, rejected.subarray(0, room));
        return;
      }
      case 'ser':
        if (ctx.packet?.code === CODE_ECHO_REQUEST && this.layer.echoReply) {
          this.sendPacket(CODE_ECHO_REPLY, this.layer.echoReply(ctx.packet), ctx.packet.identifier);
        }
        return;
    }
  }

  private finishCause(event: FsmEvent, from: FsmState): FsmFinishCause {
    if (event === 'to-' && NEGOTIATING.has(from)) {
      return { kind: 'no-answer', state: from, requests: this.timing.maxConfigure };
    }
    if (event === 'close') return { kind: 'closed' };
    return this.endCause;
  }

  private beginNegotiation(): void {
    this.layer.resetOptions();
    this.naksReceived = 0;
    this.naksSent = 0;
    this.optionsReset = true;
  }

  private sendConfigureRequest(now: number, retransmit: boolean, from: FsmState): void {
    if (!retransmit || !this.requestData) {
      // pppd: options are reset when a request starts a negotiation from outside it.
      if (!NEGOTIATING.has(from) && !this.optionsReset) this.beginNegotiation();
      this.optionsReset = false;
      this.requestOptions = this.layer.buildRequest();
      this.requestData = encodeOptions(this.requestOptions);
      this.requestId = this.nextIdentifier();
    }
    this.awaitingReply = true;
    this.counters.configureRequestsSent++;
    this.transmit(encodeControlPacket({ code: CODE_CONFIGURE_REQUEST, identifier: this.requestId, data: this.requestData }));
    this.restartCount--;
    this.timers.set('restart', now + this.timing.restartMs);
  }

  private nextIdentifier(): number {
    const id = this.identifier;
    this.identifier = (this.identifier + 1) & 0xff;
    return id;
  }

  private record(entry: FsmTraceEntry): void {
    if (!this.trace) return;
    this.trace.push(entry);
    if (this.trace.length > TRACE_LIMIT) this.trace.shift();
  }
}
