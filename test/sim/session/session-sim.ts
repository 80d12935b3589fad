/**
 * Fixtures for whole-session simulations: the client PptpSession (SessionEndpoint) against a
 * scripted pptpd + pppd (PptpServer) on the virtual clock, over a control stream and a lossy GRE
 * link with fixed seeds. One call builds a run with pptpd's defaults (MS-CHAPv2, MPPE-128
 * stateless, 192.168.77.10 / .1, DNS 192.168.77.1) and every piece overridable; helpers drive it
 * to 'up' or 'closed', make numbered IP packets that prove content and order on arrival, and
 * save a pcap of the GRE traffic when SIM_PCAP names a directory. Test code only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, onTestFailed } from 'vitest';
import { join } from 'node:path';
import { Pair, type PairOptions } from '../harness/pair';
import { PcapWriter } from '../harness/pcap';
import { SessionEndpoint } from '../support/session-endpoint';
import { PptpServer, type PptpServerConfig } from '../support/pptp-server';
import type { PptpSessionConfig } from '../../../main/engine/session';
import { seededRandom } from '../../../main/engine/random';
import { readU32, writeU16, writeU32 } from '../../../main/engine/wire/bytes';
import type { FailureReason } from '../../../preload/vocabulary';

export const USERNAME = 'alice';
export const PASSWORD = 's3cret-Pass';

export interface SimOptions {
  readonly seed?: number;
  readonly client?: Partial<PptpSessionConfig>;
  readonly server?: Partial<Omit<PptpServerConfig, 'random'>>;
  /** The password the server knows (default PASSWORD). */
  readonly serverPassword?: string;
  readonly pair?: Omit<PairOptions, 'capture'>;
}

export interface Sim {
  readonly pair: Pair<SessionEndpoint, PptpServer>;
  readonly client: SessionEndpoint;
  readonly server: PptpServer;
  readonly capture: PcapWriter;
}

/** A client with the product's defaults (MS-CHAPv2 allowed first, MPPE-128 required). */
export function clientConfig(seed: number, overrides: Partial<PptpSessionConfig> = {}): PptpSessionConfig {
  return {
    random: seededRandom(seed * 7 + 1),
    credentials: { username: USERNAME, password: PASSWORD },
    allowedAuth: ['mschapv2'],
    mppe: { mppe: 'require-128', allowStateful: false },
    ...overrides,
  };
}

export function createSim(options: SimOptions = {}): Sim {
  const seed = options.seed ?? 1;
  const client = new SessionEndpoint(clientConfig(seed, options.client));
  const server = new PptpServer({
    random: seededRandom(seed * 7 + 2),
    auth: { method: 'mschapv2', username: USERNAME, password: options.serverPassword ?? PASSWORD },
    ...options.server,
  });
  const capture = new PcapWriter();
  const pair = new Pair(client, server, {
    ...options.pair,
    datagrams: {
      aToB: { seed: seed * 7 + 3, ...options.pair?.datagrams?.aToB },
      bToA: { seed: seed * 7 + 4, ...options.pair?.datagrams?.bToA },
    },
    capture,
  });
  // A failing test leaves its GRE capture in $SIM_PCAP (when set) for Wireshark.
  const testName = expect.getState().currentTestName;
  if (testName !== undefined) {
    const sim = { pair, client, server, capture };
    onTestFailed(() => savePcap(sim, `${testName}-seed${seed}`));
  }
  // TCP connects: both ends learn it at the same instant.
  pair.schedule(pair.clock.now, (now) => {
    server.handleConnected(now);
    client.start(now);
  });
  return { pair, client, server, capture };
}

/** Drives until the session is up (or closed, or the limit). Returns true when up. */
export function driveUntilUp(sim: Sim, limitMs = 60_000): boolean {
  sim.pair.driveUntil(() => sim.client.upEvent !== undefined || sim.client.closed !== undefined, sim.pair.clock.now + limitMs);
  return sim.client.upEvent !== undefined && sim.client.closed === undefined;
}

/** Drives until the session reports 'closed' (or the limit). */
export function driveUntilClosed(sim: Sim, limitMs = 300_000): boolean {
  return sim.pair.driveUntil(() => sim.client.closed !== undefined, sim.pair.clock.now + limitMs);
}

/** The closed reason, or 'not-closed'. */
export function endReason(sim: Sim): FailureReason | 'not-closed' {
  return sim.client.closed?.reason ?? 'not-closed';
}

// ---- numbered IP packets -------------------------------------------------------------------

/**
 * An IPv4/UDP packet 192.168.77.10 -> 10.0.0.1 (or reversed) whose payload starts with
 * `index` and continues with bytes derived from it, so the receiver can check every octet.
 */
export function numberedIpPacket(index: number, size = 200, fromServer = false): Uint8Array {
  const p = new Uint8Array(Math.max(32, size));
  p[0] = 0x45;
  writeU16(p, 2, p.length);
  p[8] = 64;
  p[9] = 17; // UDP
  const a = [192, 168, 77, 10];
  const b = [10, 0, 0, 1];
  p.set(fromServer ? b : a, 12);
  p.set(fromServer ? a : b, 16);
  writeU32(p, 28, index);
  for (let j = 32; j < p.length; j++) p[j] = (index * 31 + j * 7 + (fromServer ? 1 : 0)) & 0xff;
  return p;
}

/** The index of an intact numbered packet, or undefined when any octet is wrong. */
export function numberedIndex(p: Uint8Array, fromServer = false): number | undefined {
  if (p.length < 32 || p[0] !== 0x45) return undefined;
  const index = readU32(p, 28);
  for (let j = 32; j < p.length; j++) if (p[j] !== ((index * 31 + j * 7 + (fromServer ? 1 : 0)) & 0xff)) return undefined;
  return index;
}

/**
 * Sends `count` numbered packets from the client, one every `gapMs`, starting now; returns
 * how many the session accepted.
 */
export function scheduleClientTraffic(sim: Sim, count: number, gapMs = 2, size = 200): { accepted: number } {
  const result = { accepted: 0 };
  const t0 = sim.pair.clock.now;
  for (let i = 0; i < count; i++) {
    sim.pair.schedule(t0 + i * gapMs, (now) => {
      if (sim.client.sendIp(now, numberedIpPacket(i, size + (i % 7) * 13))) result.accepted++;
    });
  }
  return result;
}

export function scheduleServerTraffic(sim: Sim, count: number, gapMs = 2, size = 200): void {
  const t0 = sim.pair.clock.now;
  for (let i = 0; i < count; i++) {
    sim.pair.schedule(t0 + i * gapMs, (now) => sim.server.sendIp(now, numberedIpPacket(i, size + (i % 5) * 17, true)));
  }
}

/** Indices of the intact numbered packets in `packets`; `corrupt` counts the rest. */
export function indicesOf(packets: readonly Uint8Array[], fromServer = false): { indices: number[]; corrupt: number } {
  const indices: number[] = [];
  let corrupt = 0;
  for (const p of packets) {
    const i = numberedIndex(p, fromServer);
    if (i === undefined) corrupt++;
    else indices.push(i);
  }
  return { indices, corrupt };
}

// ---- diagnostics ---------------------------------------------------------------------------

/** Writes the run's GRE capture to $SIM_PCAP/<name>.pcap when SIM_PCAP is set. */
export function savePcap(sim: Sim, name: string): void {
  const dir = process.env.SIM_PCAP;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name.replace(/[^a-z0-9_-]+/gi, '_')}.pcap`), sim.capture.toBytes());
}

/** Every event as JSON (what a log, the CLI or the GUI could ever see of the session). */
export function serializedEvents(sim: Sim): string {
  return JSON.stringify(sim.client.events);
}

/**
 * The checks every run ends with: the session closed with `reason` (and 'closed' is its last
 * event), nothing threw, and the password appears in no event.
 */
export function expectEnded(sim: Sim, reason: FailureReason): void {
  expect(sim.client.thrown).toEqual([]);
  expect(sim.client.closed?.reason, sim.client.closed?.message).toBe(reason);
  expect(sim.client.events.at(-1)?.type).toBe('closed');
  expect(sim.client.eventsOf('closed')).toHaveLength(1);
  expect(sim.client.session.state).toBe('closed');
  expect(serializedEvents(sim)).not.toContain(PASSWORD);
}

/** The session is up and healthy: nothing thrown, not closed. */
export function expectUp(sim: Sim): void {
  expect(sim.client.thrown).toEqual([]);
  expect(sim.client.closed, sim.client.closed?.message).toBeUndefined();
  expect(sim.client.session.state).toBe('up');
}

/**
 * Once 'up': every phase reported started exactly once and then done exactly once, in that
 * order, with a duration that matches the two times; none is left open.
 */
export function expectWellFormedTimeline(sim: Sim): void {
  const phases = sim.client.eventsOf('phase');
  const upAt = sim.client.upEvent?.at ?? Number.POSITIVE_INFINITY;
  const names = [...new Set(phases.map((p) => p.phase))];
  for (const name of names) {
    const mine = phases.filter((p) => p.phase === name && p.at <= upAt);
    const log = mine.map((p) => p.status);
    expect(log, `phase ${name}: ${log.join(',')}`).toEqual(['started', 'done']);
    expect(mine[1]!.durationMs, `phase ${name} duration`).toBe(mine[1]!.at - mine[0]!.at);
  }
}
