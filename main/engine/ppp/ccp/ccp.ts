/**
 * CCP (RFC 1962) as this client runs it: only to agree on MPPE encryption (RFC 3078). Every
 * compression method (MPPC inside option 18, Predictor 1/2, Stac, BSD-Compress 21, Deflate 24
 * and 26, ...) is Configure-Rejected.
 *
 * Policy (mppe-option.ts): we request the strongest allowed key length, stateless; we narrow
 * the server's offer to one length and mode we allow. With MPPE required, a Configure-Reject
 * of our MPPE option, a Nak or an offer with only lengths we do not allow, or CCP opening
 * without MPPE ends the link with 'encryption-refused' (the link does the same for a
 * Protocol-Reject of CCP). With MPPE optional, those cases leave the link unencrypted.
 * Reset-Request/Reset-Ack (RFC 1962 §2.2) are handed to the link, which owns the cipher.
 */
import type { Failure } from '../../failure';
import type { ControlPacket, PppOption } from '../packet';
import { CODE_RESET_ACK, CODE_RESET_REQUEST, optionU32 } from '../packet';
import type {
  ExtraCodeVerdict,
  FsmFinishCause,
  FsmLayer,
  FsmTiming,
  NonConvergence,
  OptionVerdict,
  ReplyVerdict,
  RequestCheck,
} from '../fsm';
import { Fsm } from '../fsm';
import type { MppeParams } from '../mppe-contract';
import { PPP_PROTO_CCP } from '../protocol';
import { refusalFailure, type Refusal } from '../refusal';
import type { MppeChoice, MppePolicy } from './mppe-option';
import { CCP_OPT_MPPE, allowedLengths, chooseMppe, describeMppeBits, isMppeRequired, mppeOption, mppeRequestBits, readMppeBits } from './mppe-option';

export interface CcpConfig {
  readonly policy: MppePolicy;
  readonly timing?: Partial<FsmTiming>;
  readonly trace?: boolean;
}

export interface CcpSink {
  transmit(info: Uint8Array): void;
  /** CCP Opened: `mppe` null means no encryption was agreed (only possible when optional). */
  up(now: number, mppe: MppeParams | null): void;
  down(now: number): void;
  finished(now: number, cause: FsmFinishCause): void;
  failure(now: number, failure: Failure): void;
  /** The peer lost packets (stateful MPPE): reset our encryptor; the Reset-Ack is already sent. */
  resetRequest(now: number): void;
  resetAck(now: number): void;
}

const CCP_OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Predictor type 1',
  2: 'Predictor type 2',
  17: 'Stac LZS',
  18: 'MPPE/MPPC',
  21: 'BSD-Compress',
  24: 'Deflate (draft)',
  26: 'Deflate',
};

export function ccpOptionName(type: number): string {
  return CCP_OPTION_NAMES[type] ?? `option ${type}`;
}

export class Ccp implements FsmLayer {
  readonly name = 'CCP';
  readonly fsm: Fsm;
  resetRequestsReceived = 0;
  resetAcksReceived = 0;
  /**
   * The last server offer we refused in this negotiation (stateful only, or no key length we
   * allow): when MPPE is required and CCP then fails, whatever the server does, this is why.
   */
  refusal: Refusal | undefined;
  private ours: MppeParams | undefined;
  private acked: MppeParams | undefined;
  private peer: MppeParams | undefined;
  /** Until the server Naks, our request lists every allowed length (the server picks one). */
  private offerAllLengths = true;

  constructor(
    private readonly config: CcpConfig,
    private readonly sink: CcpSink,
  ) {
    this.ours = this.wanted();
    this.fsm = new Fsm(PPP_PROTO_CCP, this, (p) => sink.transmit(p), {
      ...(config.timing ? { timing: config.timing } : {}),
      ...(config.trace ? { trace: true } : {}),
    });
  }

  private get required(): boolean {
    return isMppeRequired(this.config.policy);
  }

  private wanted(): MppeParams | undefined {
    const strongest = allowedLengths(this.config.policy)[0];
    return strongest ? { bits: strongest, stateful: false } : undefined;
  }

  /** Ends the link: with the refusal that explains it when we refused the server's offer, else `message`. */
  private refuse(now: number, message: string): ReplyVerdict {
    const failure: Failure = this.refusal ? refusalFailure(this.refusal) : { reason: 'encryption-refused', message, detail: { layer: 'CCP' } };
    this.sink.failure(now, failure);
    return 'fatal';
  }

  /** Notes what a choice refused of the server's offer (see `refusal`). */
  private noteRefusal(choice: MppeChoice): void {
    if (choice.kind !== 'exact' && choice.refused) this.refusal = choice.refused;
  }

  resetOptions(): void {
    this.ours = this.wanted();
    this.offerAllLengths = true;
    this.peer = undefined;
    this.refusal = undefined;
  }

  buildRequest(): PppOption[] {
    if (!this.ours) return [];
    // An Ack of the all-lengths request means the strongest (this.ours); pppd always Naks instead.
    return [this.offerAllLengths ? optionU32(CCP_OPT_MPPE, mppeRequestBits(this.config.policy)) : mppeOption(this.ours)];
  }

  onAck(): void {
    this.acked = this.ours;
  }

  onNak(now: number, options: readonly PppOption[], treatAsReject: boolean): ReplyVerdict {
    const nak = options.find((o) => o.type === CCP_OPT_MPPE);
    if (!nak || !this.ours) return 'ok'; // hints for compression we do not do: ignored
    if (treatAsReject) {
      // Max-Failure Naks: the server will not take what we can accept.
      if (this.required) {
        const bits = readMppeBits(nak);
        const offer = bits === undefined ? 'a malformed MPPE option' : `MPPE ${describeMppeBits(bits)}`;
        return this.refuse(now, `The server keeps refusing our MPPE choice and insists on ${offer}, which this profile does not allow.`);
      }
      this.ours = undefined;
      return 'ok';
    }
    const choice = chooseMppe(readMppeBits(nak), this.config.policy, this.peer);
    this.noteRefusal(choice);
    if (choice.kind === 'unacceptable') {
      if (this.required) return this.refuse(now, choice.message);
      this.ours = undefined; // optional: go on without MPPE
      return 'ok';
    }
    this.ours = choice.params;
    this.offerAllLengths = false;
    return 'ok';
  }

  onReject(now: number, options: readonly PppOption[]): ReplyVerdict {
    if (!options.some((o) => o.type === CCP_OPT_MPPE)) return 'ok';
    if (this.required) return this.refuse(now, 'The server rejected MPPE encryption (CCP Configure-Reject), which this profile requires.');
    this.ours = undefined;
    return 'ok';
  }

  checkRequest(now: number, options: readonly PppOption[]): RequestCheck {
    let offered: MppeParams | undefined;
    let sawMppe = false;
    const verdicts: OptionVerdict[] = options.map((o) => {
      if (o.type !== CCP_OPT_MPPE || sawMppe || this.config.policy.mppe === 'none') return { kind: 'reject' };
      sawMppe = true;
      const choice = chooseMppe(readMppeBits(o), this.config.policy, this.acked);
      this.noteRefusal(choice);
      if (choice.kind === 'unacceptable') {
        if (this.required) this.refuse(now, choice.message);
        return { kind: 'reject' };
      }
      if (choice.kind === 'narrow') return { kind: 'nak', suggest: mppeOption(choice.params) };
      offered = choice.params;
      return { kind: 'ack' };
    });
    if (verdicts.every((v) => v.kind === 'ack')) this.peer = offered;
    return { verdicts };
  }

  up(now: number): void {
    const receive = this.acked;
    const send = this.peer;
    if (receive && send && receive.bits === send.bits && receive.stateful === send.stateful) {
      this.sink.up(now, receive);
      return;
    }
    if (!receive && !send && !this.required) {
      this.sink.up(now, null);
      return;
    }
    const describe = (p: MppeParams | undefined): string => (p ? `${p.bits}-bit ${p.stateful ? 'stateful' : 'stateless'}` : 'none');
    const message = `MPPE was not agreed in both directions (we receive ${describe(receive)}, we send ${describe(send)}).`;
    this.sink.failure(now, { reason: this.required ? 'encryption-refused' : 'negotiation-failed', message, detail: { layer: 'CCP' } });
  }

  down(now: number): void {
    this.sink.down(now);
  }

  started(): void {}

  finished(now: number, cause: FsmFinishCause): void {
    this.sink.finished(now, cause);
  }

  notConverging(now: number, detail: NonConvergence): void {
    if (this.required && this.refusal) {
      this.sink.failure(now, refusalFailure(this.refusal));
      return;
    }
    const names = detail.optionTypes.map(ccpOptionName).join(', ') || 'no options named';
    const who = detail.direction === 'ours' ? 'the server refused our' : "we refused the server's";
    this.sink.failure(now, {
      reason: this.required ? 'encryption-refused' : 'negotiation-failed',
      message: `CCP did not converge: ${who} Configure-Request ${detail.rounds} times (last: ${names}).`,
      detail: { layer: 'CCP', options: names },
    });
  }

  handleExtraCode(now: number, packet: ControlPacket): ExtraCodeVerdict {
    if (packet.code === CODE_RESET_REQUEST) {
      if (this.fsm.isOpened) {
        this.resetRequestsReceived++;
        this.sink.resetRequest(now);
        this.fsm.sendPacket(CODE_RESET_ACK, new Uint8Array(0), packet.identifier); // RFC 1962 §2.2
      }
      return 'handled';
    }
    if (packet.code === CODE_RESET_ACK) {
      if (this.fsm.isOpened) {
        this.resetAcksReceived++;
        this.sink.resetAck(now);
      }
      return 'handled';
    }
    return 'unknown';
  }

  /** Stateful MPPE lost sync: ask the peer to reset (RFC 1962 §2.2, RFC 3078 §3.3). */
  sendResetRequest(): boolean {
    if (!this.fsm.isOpened) return false;
    this.fsm.sendPacket(CODE_RESET_REQUEST, new Uint8Array(0));
    return true;
  }
}
