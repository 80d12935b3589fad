/**
 * Connection attempts as the log knows them: gives each attempt an id, tags log lines with the
 * attempt they belong to (LogBuffer's tagger), and keeps the timelines of the last few attempts
 * for the diagnostic report. The supervisor knows attempts but not ids; this module watches its
 * states (fed by the app core) and does not change them.
 *
 * An attempt starts when the tunnel enters `connecting`: a connect (attempt 0) or each automatic
 * reconnect (attempt n). The user's connect is logged by the IPC handler just before the
 * supervisor takes it, so an 'app' line about a profile while no tunnel is active opens a
 * provisional attempt that the following `connecting` adopts: "Connecting X to ..." heads its
 * attempt's lines.
 *
 * Which lines get the current attempt's id:
 *  - lines about its profile, also after it ended (the `disconnected` event is logged after the
 *    state went idle; a late event after an error);
 *  - lines about no profile (service start, the service's stderr) while the tunnel is active;
 *  - nothing else (another profile's lines, settings changes while idle).
 *
 * Must not: log, do I/O, or feed anything back to the supervisor.
 */
import { randomBytes } from 'node:crypto';
import type { TunnelAttempt, TunnelState } from '../../../preload/contract';
import { isTunnelActive } from '../supervisor/supervisor-policy';
import type { LogSource } from './log-buffer';

/** Timelines kept for the report. */
export const ATTEMPT_HISTORY = 5;

export interface AttemptRecord {
  readonly attemptId: string;
  readonly profileId: string;
  /** Wall-clock ms when the attempt began. */
  readonly startedAt: number;
  /** 0 for a connect, n for the n-th automatic reconnect. */
  readonly reconnect: number;
  /** The supervisor's latest view of it (phases, failure, advice, how it ended); null before the first. */
  readonly attempt: TunnelAttempt | null;
}

interface Current {
  readonly id: string;
  readonly profileId: string;
  readonly provisional: boolean;
}

export class AttemptTracker {
  private current: Current | undefined;
  private state: TunnelState = { state: 'idle' };
  private readonly history: AttemptRecord[] = [];

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly newId: () => string = () => randomBytes(4).toString('hex'),
  ) {}

  /** The attempt a new log line belongs to (LogBuffer's tagger). */
  tag(line: { readonly source: LogSource; readonly profileId?: string }): string | undefined {
    const active = isTunnelActive(this.state);
    const reopening = this.current?.provisional === true && this.current.profileId === line.profileId;
    if (line.profileId !== undefined && line.source === 'app' && !active && !reopening) {
      this.current = { id: this.newId(), profileId: line.profileId, provisional: true };
      return this.current.id;
    }
    if (!this.current) return undefined;
    if (line.profileId === this.current.profileId) return this.current.id;
    if (line.profileId === undefined && active) return this.current.id;
    return undefined;
  }

  /** Every new TunnelState from the supervisor, in order. */
  onState(next: TunnelState): void {
    const prev = this.state;
    this.state = next;
    if (next.state !== 'connecting') return;
    const continues = prev.state === 'connecting' && prev.profileId === next.profileId && prev.attempt === next.attempt;
    if (continues) return;
    const c = this.current;
    if (c?.provisional && c.profileId === next.profileId && next.attempt === 0) this.current = { ...c, provisional: false };
    else this.current = { id: this.newId(), profileId: next.profileId, provisional: false };
    this.history.push({ attemptId: this.current.id, profileId: next.profileId, startedAt: this.clock(), reconnect: next.attempt, attempt: null });
    if (this.history.length > ATTEMPT_HISTORY) this.history.splice(0, this.history.length - ATTEMPT_HISTORY);
  }

  /** Every new view of the current attempt from the supervisor. */
  onAttempt(attempt: TunnelAttempt | null): void {
    const last = this.history[this.history.length - 1];
    if (!attempt || !last || last.profileId !== attempt.profileId) return;
    this.history[this.history.length - 1] = { ...last, attempt };
  }

  /** The id of the attempt in progress or last made, if any. */
  get currentId(): string | undefined {
    return this.current?.id;
  }

  /** The last ATTEMPT_HISTORY attempts, oldest first. */
  attempts(): readonly AttemptRecord[] {
    return [...this.history];
  }
}
