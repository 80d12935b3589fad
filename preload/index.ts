/**
 * The Electron preload (sandboxed, bundled to CJS by scripts/build.mjs): exposes `window.pptp`
 * = { invoke, on } (PptpBridge, preload/contract.ts) and nothing else. Only the contract's
 * channel names pass (the zod-free lists in channels.ts, which contract.ts keeps equal to its
 * tables); anything else is refused here, before it reaches main. Listeners get the payload only
 * (never Electron's event object, which would leak `sender`), and `on` returns the function that
 * removes the listener. Main validates every payload again (DESIGN.md §7).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, isEventChannelName, isInvokeChannelName } from './channels';
import type { PptpBridge } from './contract';

export const bridge: PptpBridge = {
  invoke: (channel, request) =>
    isInvokeChannelName(channel)
      ? ipcRenderer.invoke(channel, request)
      : Promise.resolve({ ok: false, error: { code: 'unknown-channel', message: `Channel not allowed: ${String(channel)}` } }),
  on: (channel, listener) => {
    if (!isEventChannelName(channel)) throw new Error(`Event channel not allowed: ${String(channel)}`);
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.removeListener(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
