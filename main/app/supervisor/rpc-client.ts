/**
 * The app's side of the service RPC (main/service/rpc/protocol.ts): JSON lines over the service's
 * stdout (read) and stdin (write), or both ways over the daemon's Unix socket. Owns request ids, per-request timeouts and line framing.
 *
 * The service is privileged but its output is still untrusted input: every line is parsed and
 * validated with rpcServiceLineSchema; a malformed, oversized or unmatched line is reported to
 * `onMalformed` and otherwise ignored. Nothing the service prints can throw out of this class.
 * Requests are never logged here (a connect carries the password).
 */
import type { Readable, Writable } from 'node:stream';
import type { DoctorResult, DoctorStepRecord } from '../../../preload/schema/doctor';
import { doctorResultSchema } from '../../../preload/schema/doctor';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { ConnectOptions } from '../../service/connect-options';
import { LineFramer } from '../../service/rpc/line-framer';
import { MAX_LINE_BYTES, RPC_VERSION, rpcServiceLineSchema, type RpcErrorCode, type ServiceStatus } from '../../service/rpc/protocol';

export const DEFAULT_RPC_TIMEOUT_MS = 15_000;

/** Codes of RpcClient failures: the service's own codes plus the client's. */
export type RpcClientErrorCode = RpcErrorCode | 'timeout' | 'closed' | 'write-failed';

export class RpcClientError extends Error {
  constructor(
    readonly code: RpcClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RpcClientError';
  }
}

export interface HelloResult {
  readonly name?: string;
  readonly version?: string;
  readonly privileged?: boolean;
  readonly rpcVersion?: number;
}

export interface RpcClientOptions {
  readonly onEvent: (event: TunnelEvent) => void;
  /** A line that is not valid JSON, not a known line, or answers no pending request. */
  readonly onMalformed?: (why: string, line: string) => void;
  /**
   * An error line answering no request (id null): a line of ours the service could not parse, or
   * a daemon refusing this connection ('peer-not-allowed', ...) just before it closes it.
   * Without this hook such lines go to onMalformed.
   */
  readonly onServiceError?: (code: RpcErrorCode, message: string) => void;
  readonly timeoutMs?: number;
}

interface Pending {
  readonly method: string;
  /** A `test` request's progress lines (its settled steps). */
  readonly onStep?: (step: DoctorStepRecord) => void;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: RpcClientError) => void;
  readonly timer: NodeJS.Timeout;
}

/** At most this much of a bad line is passed to onMalformed (and so to the log). */
const MALFORMED_EXCERPT = 200;

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly framer = new LineFramer(MAX_LINE_BYTES);
  private closedWith: RpcClientError | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly options: RpcClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.feed(chunk));
    input.on('end', () => this.close('the service closed its output'));
    input.on('error', (e: Error) => this.close(`reading from the service failed: ${e.message}`));
    output.on('error', (e: Error) => this.close(`writing to the service failed: ${e.message}`));
  }

  hello(timeoutMs?: number): Promise<HelloResult> {
    return this.call('hello', undefined, timeoutMs) as Promise<HelloResult>;
  }

  connect(options: ConnectOptions, timeoutMs?: number): Promise<unknown> {
    return this.call('connect', options, timeoutMs);
  }

  disconnect(timeoutMs?: number): Promise<unknown> {
    return this.call('disconnect', undefined, timeoutMs);
  }

  status(timeoutMs?: number): Promise<ServiceStatus> {
    return this.call('status', undefined, timeoutMs) as Promise<ServiceStatus>;
  }

  shutdown(timeoutMs?: number): Promise<unknown> {
    return this.call('shutdown', undefined, timeoutMs);
  }

  /**
   * A connection test: `onStep` hears each settled step as the service reports it; resolves with
   * the whole result (validated: the service's output is untrusted).
   */
  async test(
    params: { readonly options: ConnectOptions; readonly credentials: boolean },
    onStep: (step: DoctorStepRecord) => void,
    timeoutMs?: number,
  ): Promise<DoctorResult> {
    const result = await this.call('test', params, timeoutMs, onStep);
    const parsed = doctorResultSchema.safeParse(result);
    if (!parsed.success) throw new RpcClientError('internal', 'the tunnel service answered the test with a malformed result');
    return parsed.data;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends one request; resolves with `result`, rejects with RpcClientError. */
  call(
    method: 'hello' | 'connect' | 'disconnect' | 'status' | 'shutdown' | 'test',
    params?: unknown,
    timeoutMs = this.timeoutMs,
    onStep?: (step: DoctorStepRecord) => void,
  ): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    const line = JSON.stringify(params === undefined ? { v: RPC_VERSION, id, method } : { v: RPC_VERSION, id, method, params }) + '\n';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcClientError('timeout', `the tunnel service did not answer "${method}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer, ...(onStep ? { onStep } : {}) });
      try {
        this.output.write(line, (error) => {
          if (error) this.fail(id, new RpcClientError('write-failed', `could not send "${method}" to the tunnel service: ${error.message}`));
        });
      } catch (error) {
        this.fail(id, new RpcClientError('write-failed', `could not send "${method}" to the tunnel service: ${(error as Error).message}`));
      }
    });
  }

  /** Rejects every pending request; later calls reject at once. Idempotent. */
  close(why = 'the RPC client was closed'): void {
    if (this.closedWith) return;
    this.closedWith = new RpcClientError('closed', why);
    for (const [id] of this.pending) this.fail(id, this.closedWith);
  }

  private fail(id: number, error: RpcClientError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.reject(error);
  }

  /** Exposed for tests: feed raw text as if read from the service. */
  feed(chunk: string): void {
    for (const framed of this.framer.push(chunk)) {
      if (framed.kind === 'line') this.handleLine(framed.text);
      else this.malformed(`line over ${MAX_LINE_BYTES} bytes discarded`, framed.head);
    }
  }

  private handleLine(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      this.malformed('not JSON', line);
      return;
    }
    const parsed = rpcServiceLineSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').slice(0, 3).join(', ');
      this.malformed(`not a valid service line (at ${where})`, line);
      return;
    }
    const msg = parsed.data;
    if ('event' in msg) {
      try {
        this.options.onEvent(msg.event);
      } catch {
        // a listener bug must not break the reader
      }
      return;
    }
    if ('step' in msg) {
      const p = this.pending.get(msg.id);
      if (!p?.onStep) {
        this.malformed(`test progress for unknown request id ${msg.id}`, line);
        return;
      }
      try {
        p.onStep(msg.step);
      } catch {
        // a listener bug must not break the reader
      }
      return;
    }
    if (msg.id === null && !msg.ok && this.options.onServiceError) {
      this.options.onServiceError(msg.error.code, msg.error.message);
      return;
    }
    if (msg.id === null) {
      const what = msg.ok ? '' : `: ${msg.error.code}: ${msg.error.message}`;
      this.malformed(`the service refused a line${what}`, line);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) {
      this.malformed(`reply to unknown request id ${msg.id}`, line);
      return;
    }
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new RpcClientError(msg.error.code, msg.error.message));
  }

  private malformed(why: string, line: string): void {
    const excerpt = line.length > MALFORMED_EXCERPT ? `${line.slice(0, MALFORMED_EXCERPT)}...` : line;
    this.options.onMalformed?.(why, excerpt);
  }
}
