/**
 * The channel names alone, without their schemas: what the sandboxed preload needs to build its
 * allow-list, so its bundle carries no zod. contract.ts checks at compile time that these lists
 * equal the keys of its channel tables (and a renderer test checks it at run time).
 *
 * Must not: import anything (the preload bundles this file).
 */

/** The name under which the preload exposes the bridge: `window.pptp`. */
export const BRIDGE_GLOBAL = 'pptp';

export const INVOKE_CHANNEL_NAMES = [
  'app.info',
  'profiles.list',
  'profiles.get',
  'profiles.create',
  'profiles.update',
  'profiles.remove',
  'profiles.duplicate',
  'profiles.importPreview',
  'profiles.importApply',
  'profiles.export',
  'dialog.saveExport',
  'secrets.set',
  'secrets.clear',
  'secrets.has',
  'tunnel.connect',
  'tunnel.disconnect',
  'tunnel.status',
  'tunnel.test',
  'settings.get',
  'settings.set',
  'logs.get',
  'logs.export',
  'logs.clear',
  'report.create',
] as const;

export const EVENT_CHANNEL_NAMES = ['tunnel.state', 'profiles.changed', 'settings.changed', 'log.line', 'tunnel.testStep'] as const;

export type InvokeChannelName = (typeof INVOKE_CHANNEL_NAMES)[number];
export type EventChannelName = (typeof EVENT_CHANNEL_NAMES)[number];

const invokeSet: ReadonlySet<string> = new Set(INVOKE_CHANNEL_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_CHANNEL_NAMES);

export function isInvokeChannelName(name: unknown): name is InvokeChannelName {
  return typeof name === 'string' && invokeSet.has(name);
}

export function isEventChannelName(name: unknown): name is EventChannelName {
  return typeof name === 'string' && eventSet.has(name);
}
