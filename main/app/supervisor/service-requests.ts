/**
 * The request side of the supervisor: `connect`, `disconnect` and `test` sent to a running service, and
 * the errors the supervisor's callers see (SupervisorError, mapped to IPC codes by the handlers).
 * What a refusal means is supervisor-policy.ts's call.
 *
 * Must not: change tunnel state, start the service, or log the request (it carries the password).
 */
import type { DoctorResult, DoctorStepRecord } from '../../../preload/schema/doctor';
import type { ConnectOptions } from '../../service/connect-options';
import type { RpcClient, RpcClientError } from './rpc-client';
import { connectRefusal, isNothingToDisconnect, testRefusal, type ConnectRefusal } from './supervisor-policy';

export type SupervisorErrorCode = 'busy' | 'not-connected' | 'service-unavailable' | 'unsupported' | 'internal';

export class SupervisorError extends Error {
  constructor(
    readonly code: SupervisorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SupervisorError';
  }
}

/** A connect the service did not accept: what to do about it, and the service's words. */
export interface ConnectRejected {
  readonly refusal: ConnectRefusal;
  readonly message: string;
}

/** Sends `connect`; resolves undefined once the service accepted it (progress follows as events). */
export async function requestConnect(rpc: RpcClient, options: ConnectOptions, timeoutMs: number): Promise<ConnectRejected | undefined> {
  try {
    await rpc.connect(options, timeoutMs);
    return undefined;
  } catch (error) {
    const e = error as RpcClientError;
    return { refusal: connectRefusal(e.code), message: e.message };
  }
}

/** Sends `disconnect`; true when the service accepted it (a tunnel was there to end). */
export async function requestDisconnect(rpc: RpcClient | undefined, timeoutMs: number): Promise<boolean> {
  if (!rpc) return false;
  try {
    await rpc.disconnect(timeoutMs);
    return true;
  } catch (error) {
    const e = error as RpcClientError;
    if (isNothingToDisconnect(e.code)) return false;
    throw new SupervisorError('internal', `The tunnel service did not disconnect: ${e.message}`);
  }
}

/** Sends `test`; each settled step goes to `onStep`; a refusal becomes a SupervisorError with words for the user. */
export async function requestTest(
  rpc: RpcClient,
  params: { readonly options: ConnectOptions; readonly credentials: boolean },
  onStep: (step: DoctorStepRecord) => void,
  timeoutMs: number,
): Promise<DoctorResult> {
  try {
    return await rpc.test(params, onStep, timeoutMs);
  } catch (error) {
    const e = error as RpcClientError;
    const refusal = testRefusal(e.code, e.message);
    throw new SupervisorError(refusal.code, refusal.message);
  }
}
