/**
 * LCP Echo keepalive (RFC 1661 §5.8; pppd's lcp-echo-interval / lcp-echo-failure /
 * lcp-echo-adaptive). Owns only the schedule and the failure count; lcp.ts sends the packets.
 *
 * Modes:
 *  - off: no Echo-Requests (we still answer the peer's);
 *  - fixed: an Echo-Request every intervalMs; any Echo-Reply clears the count; when `failures`
 *    requests in a row went unanswered, the next tick ends the link with 'keepalive-timeout';
 *  - adaptive: the same, but a tick is skipped (and the count cleared) when any frame arrived
 *    from the peer during the last interval: a busy link is alive without asking.
 *
 * Default: fixed, 10 s x 3. With that a dead peer is noticed 40 s after its last Echo-Reply
 * (three unanswered requests at 10/20/30 s, failure at the 40 s tick): faster than the PPTP
 * control connection's 60 s echo, slow enough that a few lost GRE packets never trip it.
 */
import { TimerTable } from '../../timers';

export type LcpEchoConfig =
  | { readonly mode: 'off' }
  | { readonly mode: 'fixed' | 'adaptive'; readonly intervalMs: number; readonly failures: number };

export const DEFAULT_LCP_ECHO: LcpEchoConfig = { mode: 'fixed', intervalMs: 10_000, failures: 3 };

export type KeepaliveTick = 'send-echo' | 'failed' | 'nothing';

export class LcpKeepalive {
  private readonly timers = new TimerTable<'echo'>();
  private unanswered = 0;
  private lastReceivedAt = Number.NEGATIVE_INFINITY;
  private running = false;

  constructor(private readonly config: LcpEchoConfig) {}

  get outstanding(): number {
    return this.unanswered;
  }

  start(now: number): void {
    if (this.config.mode === 'off') return;
    this.running = true;
    this.unanswered = 0;
    this.timers.set('echo', now + this.config.intervalMs);
  }

  stop(): void {
    this.running = false;
    this.timers.clearAll();
  }

  /** Any frame from the peer (adaptive mode). */
  noteReceived(now: number): void {
    this.lastReceivedAt = now;
  }

  /** An Echo-Reply that is not our own looped back. */
  noteEchoReply(): void {
    this.unanswered = 0;
  }

  nextTimeout(): number | undefined {
    return this.timers.nextTimeout();
  }

  handleTimeout(now: number): KeepaliveTick {
    if (!this.running || this.config.mode === 'off' || this.timers.expire(now).length === 0) return 'nothing';
    const { intervalMs, failures } = this.config;
    if (this.unanswered >= failures) {
      this.stop();
      return 'failed';
    }
    this.timers.set('echo', now + intervalMs);
    if (this.config.mode === 'adaptive' && now - this.lastReceivedAt < intervalMs) {
      this.unanswered = 0;
      return 'nothing';
    }
    this.unanswered++;
    return 'send-echo';
  }
}
