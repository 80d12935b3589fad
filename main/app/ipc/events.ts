/**
 * Main -> renderer push events (the contract's eventChannels), transport-neutral: wires the
 * supervisor, the log, the settings store and profile changes to one `publish(channel, payload)`
 * that the Electron adapter implements with webContents.send and the GUI tests with a WebSocket.
 * Every payload is validated against the contract before it leaves (a bug here must not feed the
 * renderer something it cannot parse); invalid payloads are dropped and logged.
 */
import { validateEvent, type EventChannel, type EventPayload } from '../../../preload/contract';
import type { AppServices } from './handlers';
import { toWireLogLine } from './handlers';

export type Publisher = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

export interface EventSources extends Pick<AppServices, 'supervisor' | 'log' | 'settings'> {
  /** Subscribes to profile-list changes (the core calls listeners after every handler change). */
  readonly onProfilesChanged: (listener: (list: EventPayload<'profiles.changed'>) => void) => () => void;
}

export function wireEvents(sources: EventSources, publish: Publisher): () => void {
  let reporting = false;
  const send = <E extends EventChannel>(channel: E, payload: unknown) => {
    const checked = validateEvent(channel, payload);
    if (!checked.ok) {
      if (!reporting) {
        reporting = true; // the log line below is itself an event: do not recurse
        sources.log.error(`Dropped an invalid ${channel} event: ${checked.error.message}`);
        reporting = false;
      }
      return;
    }
    try {
      publish(channel, checked.value);
    } catch {
      // a closed window must not break the others
    }
  };
  const offs = [
    // The tunnel folded once (main/app/tunnel/tunnel-view.ts): the renderer mirrors this view.
    sources.supervisor.onView((v) => send('tunnel.state', v)),
    sources.log.onLine((l) => send('log.line', toWireLogLine(l))),
    sources.supervisor.onTestStep((p) => send('tunnel.testStep', p)),
    sources.settings.onChange((s) => send('settings.changed', s)),
    sources.onProfilesChanged((list) => send('profiles.changed', list)),
  ];
  return () => {
    for (const off of offs) off();
  };
}
