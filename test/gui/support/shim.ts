/**
 * The `window.pptp` the GUI tests inject into the page (Playwright addInitScript) in place of the
 * Electron preload: the same PptpBridge interface (preload/contract.ts) and the same allow-list
 * of channels, implemented over the test server's HTTP + Server-Sent Events transport. Like the
 * preload, `invoke` never rejects and `on` hands listeners the payload only.
 * Plain JavaScript text (not a serialised TS function), so no transpiler helper leaks into it.
 */
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../../preload/contract';

const SHIM = String.raw`
(function (invokeChannels, eventChannels) {
  var INVOKE = new Set(invokeChannels);
  var EVENTS = new Set(eventChannels);
  var listeners = new Map();
  var source = null;
  function ensureSource() {
    if (source) return;
    source = new EventSource('/__pptp/events');
    EVENTS.forEach(function (ch) {
      source.addEventListener(ch, function (e) {
        var payload;
        try { payload = JSON.parse(e.data); } catch (err) { return; }
        var set = listeners.get(ch);
        if (set) set.forEach(function (l) { l(payload); });
      });
    });
  }
  var bridge = {
    invoke: function (channel, request) {
      if (!INVOKE.has(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'unknown-channel', message: 'Channel not allowed: ' + String(channel) } });
      }
      return fetch('/__pptp/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pptp-bridge': '1' },
        body: JSON.stringify({ channel: channel, request: request })
      }).then(function (res) { return res.json(); }).catch(function (e) {
        return { ok: false, error: { code: 'internal', message: 'IPC transport failed: ' + String(e) } };
      });
    },
    on: function (channel, listener) {
      if (!EVENTS.has(channel)) throw new Error('Event channel not allowed: ' + String(channel));
      ensureSource();
      var set = listeners.get(channel);
      if (!set) { set = new Set(); listeners.set(channel, set); }
      set.add(listener);
      return function () { set.delete(listener); };
    }
  };
  Object.defineProperty(window, 'pptp', { value: Object.freeze(bridge), writable: false, configurable: false });
})`;

export function bridgeShimSource(): string {
  return `${SHIM}(${JSON.stringify(INVOKE_CHANNELS)}, ${JSON.stringify(EVENT_CHANNELS)});`;
}
