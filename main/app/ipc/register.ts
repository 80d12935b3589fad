/**
 * The Electron IPC endpoint: registers one ipcMain.handle per invoke channel of the contract.
 * For every call: the sender is checked (sender.ts), the payload validated against the contract
 * schema and the handler run (contract.ts dispatchInvoke); the answer is always an envelope
 * {ok, value} / {ok:false, error:{code,message}} — nothing throws across IPC. Channels outside
 * the contract have no handler here (and the preload refuses them before they leave).
 *
 * Typed against a structural IpcMainLike, not the electron module, so it runs under plain Node
 * in tests; main/app/electron passes the real ipcMain. The only module that registers IPC.
 */
import { dispatchInvoke, errEnvelope, INVOKE_CHANNELS, type Envelope, type HandlerContext, type Handlers } from '../../../preload/contract';
import { checkSender, type SenderPolicy } from './sender';

/** The part of an Electron IpcMainInvokeEvent this module reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number; readonly mainFrame?: unknown };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterIpcOptions {
  /** Told about refused senders (logged by the caller). */
  readonly onRefused?: (channel: string, why: string) => void;
}

export function senderFactsOf(event: InvokeEventLike): { webContentsId: number; isMainFrame: boolean; frameUrl: string } {
  const frame = event.senderFrame;
  const isMainFrame = frame !== null && frame.parent === null && (event.sender.mainFrame === undefined || event.sender.mainFrame === frame);
  return { webContentsId: event.sender.id, isMainFrame, frameUrl: frame?.url ?? '' };
}

/** One IPC call, start to finish (exported for tests). Never throws. */
export async function handleInvoke(
  handlers: Handlers,
  policy: SenderPolicy,
  channel: string,
  event: InvokeEventLike,
  payload: unknown,
  options: RegisterIpcOptions = {},
): Promise<Envelope<unknown>> {
  try {
    const facts = senderFactsOf(event);
    const verdict = checkSender(facts, policy);
    if (!verdict.ok) {
      options.onRefused?.(channel, verdict.why);
      return errEnvelope('forbidden', 'This IPC call is not allowed from this page.');
    }
    const ctx: HandlerContext = { senderId: facts.webContentsId, senderUrl: facts.frameUrl };
    return await dispatchInvoke(handlers, channel, payload, ctx);
  } catch {
    return errEnvelope('internal', 'Internal error');
  }
}

/** Registers every contract channel; returns the function that removes them all. */
export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers, windowsAllowed: SenderPolicy, options: RegisterIpcOptions = {}): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, ...args) => handleInvoke(handlers, windowsAllowed, channel, event, args.length === 1 ? args[0] : args.length === 0 ? undefined : args, options));
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
