/**
 * What the supervisor does with a service event besides folding it: scrub its free-text fields
 * (they reach the renderer and the log) and write the log line it deserves. The fold itself is
 * main/app/tunnel/tunnel-view.ts.
 *
 * Must not: change tunnel state or decide anything about it.
 */
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { LogBuffer } from '../log/log-buffer';

/** Tunnel events go to the renderer: scrub their free-text fields like log lines. */
export function redactTunnelEvent(event: TunnelEvent, redact: (text: string) => string): TunnelEvent {
  switch (event.event) {
    case 'log':
      return { ...event, message: redact(event.message) };
    case 'error':
      return { ...event, message: redact(event.message), ...(event.hint !== undefined ? { hint: redact(event.hint) } : {}) };
    default:
      return event;
  }
}

/**
 * The log line for an event of the current tunnel (`profileId`), or, without one, of nobody's.
 * `networkChanged`: whether the attempt got as far as setting routes and DNS; "network restored"
 * is said only then (a failure before it changed nothing to restore). Not restored is always said.
 */
export function logTunnelEvent(log: LogBuffer, event: TunnelEvent, profileId?: string, networkChanged = true): void {
  if (profileId === undefined) {
    // Nothing of ours is running (a late event after dismissing an error): its log lines only.
    if (event.event === 'log') log.add(event.level, 'tunnel', event.message);
    return;
  }
  switch (event.event) {
    case 'phase':
      if (event.status === 'failed') log.warn(`Phase ${event.phase} failed`, 'tunnel', profileId);
      return;
    case 'connected':
      log.info(
        `Connected to ${event.server}: ${event.localIp} -> ${event.remoteIp}, ${event.auth}, ${event.mppe ? `MPPE ${event.mppe.bits}` : 'no encryption'}`,
        'tunnel',
        profileId,
      );
      return;
    case 'error':
      log.error(`${event.reason}: ${event.message}`, 'tunnel', profileId);
      return;
    case 'disconnected':
      log.info(`Disconnected (${event.reason}${!event.restored ? ', network NOT fully restored' : networkChanged ? ', network restored' : ''})`, 'tunnel', profileId);
      return;
    case 'reconnecting':
      log.warn(`Reconnecting (attempt ${event.attempt}) in ${event.delayMs} ms after ${event.reason}`, 'tunnel', profileId);
      return;
    case 'log':
      log.add(event.level, 'tunnel', event.message, profileId);
      return;
    case 'stats':
      return;
  }
}
