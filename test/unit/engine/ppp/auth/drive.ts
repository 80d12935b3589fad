/**
 * Test helpers: drive a client method and a simulated authenticator against each other by hand
 * (same virtual instant, bounded steps), and a scanner that fails if a secret shows up in any
 * text a method produced.
 */
import type { AuthClient, AuthOutcome } from '../../../../../main/engine/ppp/auth/auth-client';
import type { SimAuthResult, SimAuthenticator } from '../../../../sim/support/authenticators';
import { fromHex } from '../../../../../main/engine/wire/bytes';

export interface Exchange {
  outcome: AuthOutcome | undefined;
  serverResult: SimAuthResult | undefined;
  clientSent: Uint8Array[];
  serverSent: Uint8Array[];
}

/** Starts both sides and moves packets until neither has anything left to send (at most 50 rounds). */
export function runExchange(client: AuthClient, server: SimAuthenticator, now = 0): Exchange {
  client.start(now);
  server.start(now);
  return pump(client, server, now);
}

export function pump(client: AuthClient, server: SimAuthenticator, now = 0): Exchange {
  const ex: Exchange = { outcome: undefined, serverResult: undefined, clientSent: [], serverSent: [] };
  for (let round = 0; round < 50; round++) {
    let moved = false;
    for (let p = client.pollTransmit(); p !== undefined; p = client.pollTransmit()) {
      ex.clientSent.push(p);
      server.handlePacket(now, p);
      moved = true;
    }
    for (let p = server.pollTransmit(); p !== undefined; p = server.pollTransmit()) {
      ex.serverSent.push(p);
      client.handlePacket(now, p);
      moved = true;
    }
    ex.outcome ??= client.pollResult();
    ex.serverResult ??= server.pollResult();
    if (!moved) break;
  }
  return ex;
}

/** Every string reachable inside a value (messages, detail values, nested objects). */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const v of Object.values(value as Record<string, unknown>)) allStrings(v, out);
  }
  return out;
}

/** Collects all text an outcome and the counters expose: what the timeline, logs and events would show. */
export function exposedText(client: AuthClient, outcome: AuthOutcome | undefined): string {
  return [...allStrings(outcome), ...allStrings(client.counters)].join('\n');
}

/** A RandomSource that hands out fixed byte strings in order, then zeros. */
export function scriptedRandom(...chunks: string[]): (n: number) => Uint8Array {
  const queue = chunks.map((c) => fromHex(c));
  return (n: number) => {
    const next = queue.shift() ?? new Uint8Array(n);
    const out = new Uint8Array(n);
    out.set(next.subarray(0, n));
    return out;
  };
}
