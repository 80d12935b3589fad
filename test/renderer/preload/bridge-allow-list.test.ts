/**
 * The preload exposes only the contract's channels: its allow-list is exactly the contract's
 * channel names, it strips Electron's event object, and `on` returns a working unsubscribe.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES } from '../../../preload/channels';
import { EVENT_CHANNELS, INVOKE_CHANNELS, eventChannels, invokeChannels, type PptpBridge } from '../../../preload/contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (channel: string, _req: unknown) => ({ ok: true, value: channel }));
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (channel: string, req: unknown) => invoke(channel, req),
    on: (channel: string, l: (...args: unknown[]) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(l);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, l: (...args: unknown[]) => void) => listeners.get(channel)?.delete(l),
  },
}));

let bridge: PptpBridge;
beforeAll(async () => {
  await import('../../../preload/index');
  bridge = exposed.pptp as PptpBridge;
});

/** Names a careless allow-list might let through. */
const HOSTILE = ['', 'profiles', 'profiles.list ', 'PROFILES.LIST', '__proto__', 'constructor', 'toString', 'electron:devtools', 'tunnel.event'];

describe('preload bridge', () => {
  it('builds its allow-list from name lists equal to the contract tables', () => {
    expect([...INVOKE_CHANNEL_NAMES].sort()).toEqual(Object.keys(invokeChannels).sort());
    expect([...EVENT_CHANNEL_NAMES].sort()).toEqual(Object.keys(eventChannels).sort());
  });

  it('exposes exactly invoke and on as window.pptp', () => {
    expect(Object.keys(exposed)).toEqual(['pptp']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('allows exactly the contract invoke channels', async () => {
    const allowed: string[] = [];
    for (const name of [...INVOKE_CHANNELS, ...EVENT_CHANNELS, ...HOSTILE]) {
      invoke.mockClear();
      const r = await bridge.invoke(name as never, {} as never);
      if (invoke.mock.calls.length > 0) allowed.push(name);
      else expect(r).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
    expect(allowed.sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('allows exactly the contract event channels', () => {
    const allowed: string[] = [];
    for (const name of [...EVENT_CHANNELS, ...INVOKE_CHANNELS.filter((c) => !(EVENT_CHANNELS as string[]).includes(c)), ...HOSTILE.filter((h) => h !== 'tunnel.event')]) {
      try {
        bridge.on(name as never, () => undefined)();
        allowed.push(name);
      } catch {
        // refused
      }
    }
    expect(allowed.sort()).toEqual([...EVENT_CHANNELS].sort());
  });

  it('hands listeners the payload only, and unsubscribes', () => {
    const got: unknown[][] = [];
    const off = bridge.on('log.line', (...args: unknown[]) => got.push(args));
    const fakeEvent = { sender: { send: () => undefined }, senderId: 1 };
    for (const l of listeners.get('log.line') ?? []) l(fakeEvent, { seq: 1 });
    expect(got).toEqual([[{ seq: 1 }]]);
    off();
    for (const l of listeners.get('log.line') ?? []) l(fakeEvent, { seq: 2 });
    expect(got).toHaveLength(1);
  });
});
