/**
 * What the supervisor holds while it talks to the tunnel service, whichever way it reached it:
 * a child it spawned (service-process.ts, RPC on the child's stdio) or a root daemon's Unix
 * socket (service-socket.ts). tunnel-supervisor.ts uses only this, so it does not care which;
 * startService() picks the implementation from the ServiceCommand's mode.
 */
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { LogBuffer } from '../log/log-buffer';
import type { ServiceCommand } from './launch';
import type { RpcClient } from './rpc-client';
import type { SpawnFn } from './service-process';
import type { ConnectSocketFn } from './service-socket';

export interface ServiceConnection {
  readonly command: ServiceCommand;
  readonly rpc: RpcClient;
  /** Answered hello; before that, a loss is reported by start, not by onExit's handler. */
  readonly ready: boolean;
  /** We asked it to end (quit): its end is expected. */
  stopping: boolean;
  /** The child's pid; undefined for a daemon (not ours to signal). */
  readonly pid: number | undefined;
  /** Resolves true once the child exited / the connection closed, false after `ms`. */
  waitExit(ms: number): Promise<boolean>;
  /** Quit: end the session cleanly within the budget `left()` says is left. */
  terminate(left: () => number): Promise<void>;
}

export interface ServiceStartOptions {
  readonly log: LogBuffer;
  readonly spawn: SpawnFn;
  readonly connectSocket: ConnectSocketFn;
  /** Overrides the policy's hello budget. */
  readonly startTimeoutMs?: number;
  readonly requestTimeoutMs: number;
  readonly onEvent: (event: TunnelEvent) => void;
  /** The child exited / the connection dropped (at any time, also during start). */
  readonly onExit: (service: ServiceConnection, exitInfo: string) => void;
}
