/**
 * The service side of the RPC: reads JSON lines from a readable stream, validates each with
 * parseRequestLine, dispatches to a TunnelController and writes replies and pushed events as JSON
 * lines. A bad line gets an error reply; nothing a client writes can crash the service. The
 * framing is bounded: a line longer than MAX_LINE_BYTES is discarded up to its newline.
 */
import type { Readable, Writable } from 'node:stream';
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

  /** Resolves when the input ends (the app closed our stdin). */
  run(): Promise<void> {
    this.input.setEncoding('utf8');
    return new Promise((resolve) => {
      this.input.on('data', (chunk: string) => this.feed(chunk));
      this.input.on('end', () => {
        this.closed = true;
        resolve();
      });
      this.input.on('error', () => {
        this.closed = true;
        resolve();
      });
    });
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
