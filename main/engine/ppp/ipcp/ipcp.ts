/**
 * IPCP (RFC 1332) with the RFC 1877 name-server options, client side.
 *
 * Our request: IP-Address 0.0.0.0 ("assign me one"), Primary/Secondary DNS and (by default)
 * Primary/Secondary NBNS (WINS), each 0.0.0.0; the server's Configure-Nak carries the values,
 * which we then request and the server Acks (RFC 1332 §3.3, RFC 1877 §1). A name-server option
 * the server Rejects is not asked for again; a Reject of IP-Address ends the link: without an
 * address there is no tunnel.
 * The server's request: its own IP-Address is Ack'd when non-zero (that is the remote address);
 * 0.0.0.0 (asking us to assign one) is Rejected, and the remote address stays unknown.
 * IP-Compression-Protocol (Van Jacobson) and everything else is Rejected.
 *
 * Must not: touch routes or DNS (the service applies the IpcpResult).
 */
import type { Failure } from '../../failure';
import { readU32 } from '../../wire/bytes';
import type { FsmFinishCause, FsmLayer, FsmTiming, NonConvergence, OptionVerdict, ReplyVerdict, RequestCheck } from '../fsm';
import { Fsm } from '../fsm';
import type { PppOption } from '../packet';
import { optionU32, optionValueU32 } from '../packet';
import { PPP_PROTO_IPCP } from '../protocol';
import {
  IPCP_OPT_IP_ADDRESS,
  IPCP_OPT_PRIMARY_DNS,
  IPCP_OPT_PRIMARY_NBNS,
  IPCP_OPT_SECONDARY_DNS,
  IPCP_OPT_SECONDARY_NBNS,
  ipcpOptionName,
  ipv4ToString,
} from './options';

export interface IpcpResult {
  readonly localIp: string;
  /** The server's address, when it told us (its IP-Address option); undefined otherwise. */
  readonly remoteIp: string | undefined;
  readonly dns: readonly string[];
  readonly wins: readonly string[];
}

export interface IpcpConfig {
  /** Ask for WINS servers too (default true). */
  readonly requestWins?: boolean;
  readonly timing?: Partial<FsmTiming>;
  readonly trace?: boolean;
}

export interface IpcpSink {
  transmit(info: Uint8Array): void;
  up(now: number, result: IpcpResult): void;
  down(now: number): void;
  finished(now: number, cause: FsmFinishCause): void;
  failure(now: number, failure: Failure): void;
}

/** Our requested values per option type; an absent type is not requested. */
type Wanted = Map<number, number>;

const NAME_SERVER_TYPES = [IPCP_OPT_PRIMARY_DNS, IPCP_OPT_SECONDARY_DNS, IPCP_OPT_PRIMARY_NBNS, IPCP_OPT_SECONDARY_NBNS];

export class Ipcp implements FsmLayer {
  readonly name = 'IPCP';
  readonly fsm: Fsm;
  private ours: Wanted;
  private acked: Wanted = new Map();
  private remote: number | undefined;
  private current: IpcpResult | undefined;

  constructor(
    private readonly config: IpcpConfig,
    private readonly sink: IpcpSink,
  ) {
    this.ours = this.wanted();
    this.fsm = new Fsm(PPP_PROTO_IPCP, this, (p) => sink.transmit(p), {
      ...(config.timing ? { timing: config.timing } : {}),
      ...(config.trace ? { trace: true } : {}),
    });
  }

  get result(): IpcpResult | undefined {
    return this.current;
  }

  private wanted(): Wanted {
    const w: Wanted = new Map([
      [IPCP_OPT_IP_ADDRESS, 0],
      [IPCP_OPT_PRIMARY_DNS, 0],
      [IPCP_OPT_SECONDARY_DNS, 0],
    ]);
    if (this.config.requestWins ?? true) {
      w.set(IPCP_OPT_PRIMARY_NBNS, 0);
      w.set(IPCP_OPT_SECONDARY_NBNS, 0);
    }
    return w;
  }

  resetOptions(): void {
    this.ours = this.wanted();
  }

  buildRequest(): PppOption[] {
    return [...this.ours].map(([type, value]) => optionU32(type, value));
  }

  onAck(): void {
    this.acked = new Map(this.ours);
  }

  onNak(now: number, options: readonly PppOption[], treatAsReject: boolean): ReplyVerdict {
    if (treatAsReject) return this.onReject(now, options.filter((o) => this.ours.has(o.type)));
    for (const o of options) {
      const value = optionValueU32(o);
      // RFC 1332 §3.3 / RFC 1877: the Nak carries the value to use; a zero suggests nothing.
      if (value === undefined || value === 0) continue;
      if (o.type === IPCP_OPT_IP_ADDRESS || (NAME_SERVER_TYPES.includes(o.type) && this.ours.has(o.type))) {
        this.ours.set(o.type, value);
      }
    }
    return 'ok';
  }

  onReject(now: number, options: readonly PppOption[]): ReplyVerdict {
    for (const o of options) {
      if (o.type === IPCP_OPT_IP_ADDRESS) {
        this.sink.failure(now, {
          reason: 'negotiation-failed',
          message: 'The server refused to assign an IP address (IPCP Configure-Reject of IP-Address).',
          detail: { layer: 'IPCP', option: 'IP-Address' },
        });
        return 'fatal';
      }
      this.ours.delete(o.type); // RFC 1877 option the server does not serve: stop asking
    }
    return 'ok';
  }

  checkRequest(_now: number, options: readonly PppOption[]): RequestCheck {
    const seen = new Set<number>();
    let remote: number | undefined;
    const verdicts: OptionVerdict[] = options.map((o) => {
      if (seen.has(o.type)) return { kind: 'reject' };
      seen.add(o.type);
      if (o.type === IPCP_OPT_IP_ADDRESS) {
        const value = optionValueU32(o);
        if (value === undefined || value === 0) return { kind: 'reject' }; // we assign nothing
        remote = value;
        return { kind: 'ack' };
      }
      // IP-Compression-Protocol (VJ), IP-Addresses, name-server options in *its* request, unknown.
      return { kind: 'reject' };
    });
    if (verdicts.every((v) => v.kind === 'ack')) this.remote = remote;
    return { verdicts };
  }

  up(now: number): void {
    const local = this.acked.get(IPCP_OPT_IP_ADDRESS) ?? 0;
    if (local === 0) {
      this.sink.failure(now, {
        reason: 'negotiation-failed',
        message: 'IPCP opened without an IP address for this client.',
        detail: { layer: 'IPCP', option: 'IP-Address' },
      });
      return;
    }
    // Primary first; a secondary equal to the primary (pppd with one ms-dns Naks both with the
    // same address) is listed once.
    const pick = (types: number[]): string[] => [
      ...new Set(types.map((t) => this.acked.get(t) ?? 0).filter((v) => v !== 0).map(ipv4ToString)),
    ];
    this.current = {
      localIp: ipv4ToString(local),
      remoteIp: this.remote !== undefined ? ipv4ToString(this.remote) : undefined,
      dns: pick([IPCP_OPT_PRIMARY_DNS, IPCP_OPT_SECONDARY_DNS]),
      wins: pick([IPCP_OPT_PRIMARY_NBNS, IPCP_OPT_SECONDARY_NBNS]),
    };
    this.sink.up(now, this.current);
  }

  down(now: number): void {
    this.current = undefined;
    this.sink.down(now);
  }

  started(): void {}

  finished(now: number, cause: FsmFinishCause): void {
    this.sink.finished(now, cause);
  }

  notConverging(now: number, detail: NonConvergence): void {
    const names = detail.optionTypes.map(ipcpOptionName).join(', ') || 'no options named';
    const who = detail.direction === 'ours' ? 'the server refused our' : "we refused the server's";
    this.sink.failure(now, {
      reason: 'negotiation-failed',
      message: `IPCP did not converge: ${who} Configure-Request ${detail.rounds} times (last: ${names}).`,
      detail: { layer: 'IPCP', options: names },
    });
  }
}

/** For tests and the peer: the value of a 4-octet option. */
export function ipcpValue(o: PppOption): number | undefined {
  return o.data.length === 4 ? readU32(o.data, 0) : undefined;
}
