/**
 * The service side of the RPC, one session: reads JSON lines from a readable stream, validates
 * each with parseRequestLine, dispatches to a TunnelController and writes replies and pushed
 * events as JSON lines. A bad line gets an error reply; nothing a client writes can crash the
 * service. The framing is bounded: a line longer than MAX_LINE_BYTES is discarded up to its
 * newline.
 *
 * Both transports use this one class, so dispatch and framing exist once: stdio mode runs one
 * session over process.stdin/stdout (main.ts); socket mode runs one session per accepted
 * connection, with the same net.Socket as input and output (socket-daemon.ts). What `shutdown`
 * means is the controller's: the stdio service exits, a daemon session only closes its connection.
 */
import type { Readable, Writable } from 'node:stream';
import type { DoctorResult, DoctorStepRecord } from '../../../preload/schema/doctor';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { ConnectOptions } from '../connect-options';
import { LineFramer } from './line-framer';
import { MAX_LINE_BYTES, RPC_VERSION, parseRequestLine, type RpcErrorCode, type ServiceStatus } from './protocol';

export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the service does; the tunnel driver implements it. */
export interface TunnelController {
  connect(options: ConnectOptions): Promise<void>;
  disconnect(): Promise<void>;
  status(): ServiceStatus;
  shutdown(): Promise<void>;
  /**
   * A connection test (the doctor's probe: no TUN, routes or DNS); each settled step goes to
   * `onStep`. Throws RpcError('busy') while a tunnel is up or connecting, or another test runs.
   * Absent where tests make no sense (pptpctl's control socket): the request gets 'unsupported'.
   */
  test?(options: ConnectOptions, credentials: boolean, onStep: (step: DoctorStepRecord) => void): Promise<DoctorResult>;
}

export interface RpcServerInfo {
  readonly name: string;
  readonly version: string;
  readonly privileged: boolean;
}

export class RpcServer {
  private readonly framer = new LineFramer(MAX_LINE_BYTES);
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly controller: TunnelController,
    private readonly info: RpcServerInfo,
  ) {}

  /** Resolves when the input ends, fails or closes (the app closed our stdin, or the client hung up). */
  run(): Promise<void> {
    this.input.setEncoding('utf8');
    return new Promise((resolve) => {
      const done = () => {
        this.closed = true;
        resolve();
      };
      this.input.on('data', (chunk: string) => this.feed(chunk));
      this.input.on('end', done);
      this.input.on('error', done);
      this.input.on('close', done);
    });
  }

  /** Ends the session from our side: no more lines are written, the output is ended. */
  end(): void {
    this.closed = true;
    if (this.output.writable) this.output.end();
  }

  /** Pushes a tunnel event to the client. */
  pushEvent(event: TunnelEvent): void {
    this.writeLine({ v: RPC_VERSION, event });
  }

  /** Exposed for tests: feed raw text as if read from the input. */
  feed(chunk: string): void {
    for (const framed of this.framer.push(chunk)) {
      if (framed.kind === 'line') void this.handleLine(framed.text);
      else this.reply(null, 'line-too-long', `request line over ${MAX_LINE_BYTES} bytes`);
    }
  }

  private async handleLine(line: string): Promise<void> {
    const parsed = parseRequestLine(line);
    if (!parsed.ok) {
      this.reply(parsed.id, parsed.code, parsed.message);
      return;
    }
    const req = parsed.request;
    try {
      switch (req.method) {
        case 'hello':
          this.result(req.id, { ...this.info, rpcVersion: RPC_VERSION });
          return;
        case 'connect':
          await this.controller.connect(req.params);
          this.result(req.id, { accepted: true });
          return;
        case 'disconnect':
          await this.controller.disconnect();
          this.result(req.id, { accepted: true });
          return;
        case 'status':
          this.result(req.id, this.controller.status());
          return;
        case 'shutdown':
          this.result(req.id, { accepted: true });
          await this.controller.shutdown();
          return;
        case 'test': {
          const id = req.id;
          if (!this.controller.test) throw new RpcError('unsupported', 'this service does not run connection tests');
          const result = await this.controller.test(req.params.options, req.params.credentials, (step) => this.writeLine({ v: RPC_VERSION, id, step }));
          this.result(id, result);
          return;
        }
      }
    } catch (e) {
      if (e instanceof RpcError) this.reply(req.id, e.code, e.message);
      else this.reply(req.id, 'internal', e instanceof Error ? e.message : 'internal error');
    }
  }

  private result(id: number, result: unknown): void {
    this.writeLine({ v: RPC_VERSION, id, ok: true, result });
  }

  private reply(id: number | null, code: RpcErrorCode, message: string): void {
    this.writeLine({ v: RPC_VERSION, id, ok: false, error: { code, message } });
  }

  private writeLine(obj: unknown): void {
    if (this.output.writable) this.output.write(JSON.stringify(obj) + '\n');
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
