/**
 * The Electron preload (sandboxed, bundled to CJS by scripts/build.mjs): exposes `window.pptp`
 * = { invoke, on } (PptpBridge, preload/contract.ts) and nothing else. Only the contract's
 * channel names pass; anything else is refused here, before it reaches main. Listeners get the
 * payload only (never Electron's event object, which would leak `sender`), and `on` returns
 * the function that removes the listener. Main validates every payload again (DESIGN.md §7).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, errEnvelope, isEventChannel, isInvokeChannel, type PptpBridge } from './contract';

export const bridge: PptpBridge = {
  invoke: (channel, request) =>
    isInvokeChannel(channel)
      ? ipcRenderer.invoke(channel, request)
      : Promise.resolve(errEnvelope('unknown-channel', `Channel not allowed: ${String(channel)}`)),
  on: (channel, listener) => {
    if (!isEventChannel(channel)) throw new Error(`Event channel not allowed: ${String(channel)}`);
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.removeListener(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
