/**
 * The end-to-end benchmark through real sockets (issue 12): the real service (dist bundle of
 * main/service/main.ts: TunnelDriver with TUN and the raw GRE socket, driven over its stdin RPC
 * like the app does) in one network namespace, the project's own PPTP server with real sockets
 * (real-server.ts) in another, joined by a veth pair; iperf3 through the tunnel both ways.
 * Prints Mbit/s, packets/s (client TUN counters), client and server CPU (from /proc, user+sys,
 * all threads), client CPU seconds per Gbit, then the connected service's RSS idle (with a
 * process.memoryUsage() breakdown) and over a transfer soak (first/last/max, slope).
 *
 * Measurements, never assertions. Needs root, iperf3, /dev/net/tun and the native
 * helper; otherwise it prints "unavailable: <why>". Traffic stays inside the two namespaces it
 * creates (names carry our pid); they, and every process it started (by pid), are removed in
 * `finally` and on SIGINT/SIGTERM.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { buildE2eBundles } from './build';
import { cpuSeconds, cpuSecondsByThread, rssMegabytes, slope } from './proc';
import { summarizeCpuProfile } from './cpuprofile';
import { SERVICE_NODE_FLAGS } from '../../main/service/node-flags';

export interface EndToEndOptions {
  /** Seconds per iperf3 run (default 5). */
  readonly seconds?: number;
  /** Seconds of the RSS soak (bidirectional TCP); 0 skips it. */
  readonly soakSeconds?: number;
  /** Seconds connected and idle before the idle RSS is read (default 10). */
  readonly settleSeconds?: number;
  /** Write a V8 CPU profile of the service and print its top costs. */
  readonly cpuProfile?: boolean;
  /** The GRE receive window the bench server advertises (default 64, like pptpd). */
  readonly serverWindow?: number;
  /** Node flags for the service process (default SERVICE_NODE_FLAGS: measured as the app runs it). */
  readonly serviceNodeFlags?: readonly string[];
  readonly print?: (line: string) => void;
}

const here = dirname(fileURLToPath(import.meta.url));
const USER = 'bench';
const PASSWORD = 'bench-Pass-1';
const SERVER_VETH_IP = '10.213.0.1';
const CLIENT_VETH_IP = '10.213.0.2';
const TUNNEL_SERVER_IP = '192.168.77.1';
const TUNNEL_CLIENT_IP = '192.168.77.10';
/** 1,372 octets of UDP payload + 8 UDP + 20 IPv4 = 1,400-octet IP packets. */
const UDP_PAYLOAD = 1372;
const TARGET_MBPS = 1000;
const IDLE_RSS_TARGET_MB = 70;

/** Why the benchmark cannot run here, or undefined when it can. */
export function unavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux (network namespaces, TUN)';
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, TUN, raw GRE socket)';
  if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun';
  try {
    execFileSync('iperf3', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'iperf3 is not installed (apt-get install -y iperf3)';
  }
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return 'the ip command (iproute2) cannot list network namespaces';
  }
  const require = createRequire(import.meta.url);
  for (const m of ['pptp-native-helper']) {
    try {
      require(m);
    } catch (e) {
      return `the ${m} module does not load: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  return undefined;
}

// ---- processes and namespaces ------------------------------------------------------------------

class Cleanup {
  private readonly children: ChildProcess[] = [];
  private readonly namespaces: string[] = [];
  private readonly dirs: string[] = [];

  child(c: ChildProcess): ChildProcess {
    this.children.push(c);
    return c;
  }
  namespace(name: string): void {
    this.namespaces.push(name);
  }
  dir(path: string): void {
    this.dirs.push(path);
  }

  /** Ends our children (by pid), deletes our namespaces (and with them the veth pair) and temp dirs. */
  async run(): Promise<void> {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) c.kill('SIGTERM');
    await Promise.all(this.children.map((c) => exited(c, 3000)));
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) c.kill('SIGKILL');
    for (const ns of this.namespaces.splice(0)) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

function exited(c: ChildProcess, timeoutMs: number): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, timeoutMs);
    c.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

/** Resolves with the first line (split on \n) of `stream` that `match` accepts. */
function waitForLine<T>(stream: NodeJS.ReadableStream, match: (line: string) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (d: Buffer) => {
      buffered += d.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let v: T | undefined;
        try {
          v = match(line);
        } catch (e) {
          cleanup();
          reject(e as Error);
          return;
        }
        if (v !== undefined) {
          cleanup();
          resolve(v);
          return;
        }
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      stream.off('data', onData);
    };
    stream.on('data', onData);
  });
}

function run(cmd: string, args: string[], cleanup: Cleanup, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = cleanup.child(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    c.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const t = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- the run ------------------------------------------------------------------------------------

interface Sides {
  readonly nsClient: string;
  readonly nsServer: string;
  readonly servicePid: number;
  readonly serverPid: number;
  readonly tunName: string;
  /** The client's end of the veth pair: its packet counters are the tunnel's GRE datagrams. */
  readonly vethClient: string;
  readonly service: ChildProcess;
}

type Test = [name: string, args: string[], upload: boolean, udp: boolean];

interface TransferResult {
  readonly name: string;
  readonly mbps: number;
  readonly packetsPerSecond: number;
  readonly clientCpu: number;
  readonly serverCpu: number;
  /** The client's CPU by thread name (fractions of one core): the JS thread, the helper's readers, the rest. */
  readonly clientThreads: ReadonlyMap<string, number>;
  readonly seconds: number;
  readonly note: string;
}

/** Per-thread CPU over an interval, as fractions of one core; threads under 1 % go into "other". */
function threadShares(before: Map<string, number>, after: Map<string, number>, wall: number): Map<string, number> {
  const shares = new Map<string, number>();
  let other = 0;
  for (const [name, seconds] of after) {
    const share = (seconds - (before.get(name) ?? 0)) / wall;
    if (name === 'main (JS)' || name.startsWith('pptp-') || share >= 0.01) shares.set(name, share);
    else other += Math.max(0, share);
  }
  if (other > 0) shares.set('other', other);
  return shares;
}

function formatThreadShares(shares: ReadonlyMap<string, number>): string {
  return [...shares].map(([name, share]) => `${name} ${(share * 100).toFixed(0)} %`).join(', ');
}

function linkCounters(ns: string, dev: string): { rxPackets: number; txPackets: number } {
  const [link] = JSON.parse(ip('-n', ns, '-s', '-j', 'link', 'show', 'dev', dev)) as { stats64: { rx: { packets: number }; tx: { packets: number } } }[];
  return { rxPackets: link!.stats64.rx.packets, txPackets: link!.stats64.tx.packets };
}

function cpuTotal(pid: number): number {
  const c = cpuSeconds(pid);
  return c ? c.user + c.system : NaN;
}

interface IperfSummary {
  readonly mbps: number;
  readonly note: string;
}

function parseIperf(json: string, udp: boolean): IperfSummary {
  const r = JSON.parse(json) as {
    error?: string;
    end?: {
      sum_received?: { bits_per_second: number };
      sum_sent?: { retransmits?: number };
      sum?: { bits_per_second: number; lost_percent?: number; lost_packets?: number; packets?: number };
    };
  };
  if (r.error) throw new Error(`iperf3: ${r.error}`);
  if (udp) {
    const s = r.end?.sum;
    const lost = s?.lost_percent ?? 0;
    // end.sum is the receiver's view for UDP: rate sent, datagrams lost; what arrived is the throughput.
    return { mbps: ((s?.bits_per_second ?? 0) * (1 - lost / 100)) / 1e6, note: `${lost.toFixed(1)} % lost` };
  }
  return { mbps: (r.end?.sum_received?.bits_per_second ?? 0) / 1e6, note: `${r.end?.sum_sent?.retransmits ?? 0} retransmits` };
}

async function transfer(s: Sides, cleanup: Cleanup, name: string, args: string[], seconds: number, upload: boolean, udp: boolean): Promise<TransferResult> {
  // Packets are counted on the client's veth (GRE datagrams each way), not on the TUN: the
  // service writes coalesced TCP segments to the TUN as one GSO packet, which the TUN counts once.
  const before = { t: performance.now(), c: cpuTotal(s.servicePid), s: cpuTotal(s.serverPid), tun: linkCounters(s.nsClient, s.vethClient), threads: cpuSecondsByThread(s.servicePid) };
  const r = await run('ip', ['netns', 'exec', s.nsClient, 'iperf3', '-c', TUNNEL_SERVER_IP, '-t', String(seconds), '-J', ...args], cleanup, (seconds + 20) * 1000);
  const after = { t: performance.now(), c: cpuTotal(s.servicePid), s: cpuTotal(s.serverPid), tun: linkCounters(s.nsClient, s.vethClient), threads: cpuSecondsByThread(s.servicePid) };
  const wall = (after.t - before.t) / 1000;
  let summary: IperfSummary;
  try {
    summary = parseIperf(r.stdout, udp);
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message} ${r.stderr.trim()}`);
  }
  const packets = upload ? after.tun.txPackets - before.tun.txPackets : after.tun.rxPackets - before.tun.rxPackets;
  return {
    name,
    mbps: summary.mbps,
    packetsPerSecond: packets / wall,
    clientCpu: (after.c - before.c) / wall,
    serverCpu: (after.s - before.s) / wall,
    clientThreads: threadShares(before.threads, after.threads, wall),
    seconds: wall,
    note: summary.note,
  };
}

async function memoryBreakdown(s: Sides): Promise<Record<string, number> | undefined> {
  const line = waitForLine(s.service.stderr!, (l) => (l.startsWith('memory-probe ') ? l.slice('memory-probe '.length) : undefined), 3000, 'the memory probe');
  process.kill(s.servicePid, 'SIGUSR2');
  try {
    return JSON.parse(await line) as Record<string, number>;
  } catch {
    return undefined;
  }
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '-' : `${(bytes / 1048576).toFixed(1)}`);

/** Runs the whole end-to-end benchmark, printing as it goes. Never throws: failures are printed. */
export async function runEndToEnd(options: EndToEndOptions = {}): Promise<void> {
  const print = options.print ?? ((l: string) => console.log(l));
  const seconds = options.seconds ?? 5;
  const soakSeconds = options.soakSeconds ?? 60;
  const settleSeconds = options.settleSeconds ?? 10;
  print('\nend to end through real sockets (service in one netns, project PPTP server in another, veth, iperf3 through the tunnel)');
  const why = unavailableReason();
  if (why) {
    print(`  unavailable: ${why}`);
    return;
  }
  const cleanup = new Cleanup();
  const onSignal = () => {
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runWith(cleanup, { seconds, soakSeconds, settleSeconds, cpuProfile: options.cpuProfile === true, serverWindow: options.serverWindow ?? 64, serviceNodeFlags: options.serviceNodeFlags ?? SERVICE_NODE_FLAGS, print });
  } catch (e) {
    print(`  unavailable: the run failed: ${(e as Error).message}`);
  } finally {
    await cleanup.run();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runWith(
  cleanup: Cleanup,
  o: { seconds: number; soakSeconds: number; settleSeconds: number; cpuProfile: boolean; serverWindow: number; serviceNodeFlags: readonly string[]; print: (l: string) => void },
): Promise<void> {
  const { print } = o;
  const bundles = await buildE2eBundles();
  const id = process.pid;
  const nsClient = `pe2e-c-${id}`;
  const nsServer = `pe2e-s-${id}`;
  const vethClient = `pe2c${id}`;
  const vethServer = `pe2s${id}`;
  for (const ns of [nsClient, nsServer]) {
    ip('netns', 'add', ns);
    cleanup.namespace(ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  ip('link', 'add', vethClient, 'netns', nsClient, 'type', 'veth', 'peer', 'name', vethServer, 'netns', nsServer);
  ip('-n', nsClient, 'addr', 'add', `${CLIENT_VETH_IP}/24`, 'dev', vethClient);
  ip('-n', nsServer, 'addr', 'add', `${SERVER_VETH_IP}/24`, 'dev', vethServer);
  ip('-n', nsClient, 'link', 'set', vethClient, 'up');
  ip('-n', nsServer, 'link', 'set', vethServer, 'up');

  // The server, in its namespace (`ip netns exec` execs node: the pid is node's).
  const serverProfileDir = mkdtempSync(join(tmpdir(), 'pptp-e2e-server-prof-'));
  cleanup.dir(serverProfileDir);
  const server = cleanup.child(
    spawn('ip', ['netns', 'exec', nsServer, process.execPath, ...(o.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', serverProfileDir] : []), bundles.server, '--listen', SERVER_VETH_IP, '--user', USER, '--password', PASSWORD, '--local', TUNNEL_SERVER_IP, '--assign', TUNNEL_CLIENT_IP, '--window', String(o.serverWindow)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let serverLog = '';
  server.stderr!.on('data', (d: Buffer) => (serverLog = (serverLog + d.toString('utf8')).slice(-2000)));
  await waitForLine(server.stdout!, (l) => (l.includes('"ready":true') ? true : undefined), 10_000, 'the PPTP server').catch((e: Error) => {
    throw new Error(`${e.message}; server said: ${serverLog.trim()}`);
  });
  const iperfServer = cleanup.child(spawn('ip', ['netns', 'exec', nsServer, 'iperf3', '-s', '-B', TUNNEL_SERVER_IP], { stdio: 'ignore' }));

  // The client: the real service process, driven over its RPC as the app does.
  const stateDir = mkdtempSync(join(tmpdir(), 'pptp-e2e-'));
  cleanup.dir(stateDir);
  const profileDir = join(stateDir, 'cpuprofile');
  const nodeArgs = [...o.serviceNodeFlags, '--import', join(here, 'memory-probe.mjs'), ...(o.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), bundles.service];
  const service = cleanup.child(
    spawn('ip', ['netns', 'exec', nsClient, process.execPath, ...nodeArgs], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PPTP_STATE_DIR: stateDir },
    }),
  );
  // Keep both pipes flowing (stats events, logs) whether or not a waiter listens.
  let serviceLog = '';
  service.stderr!.on('data', (d: Buffer) => (serviceLog = (serviceLog + d.toString('utf8')).slice(-2000)));
  const lastStats: { line: string } = { line: '' };
  const serviceEvents: string[] = [];
  let stdoutRest = '';
  service.stdout!.on('data', (d: Buffer) => {
    const lines = (stdoutRest + d.toString('utf8')).split('\n');
    stdoutRest = lines.pop() ?? '';
    for (const l of lines) {
      if (l.includes('"event":"stats"')) lastStats.line = l;
      // Every other event (state changes, a disconnect and its reason), for the end of the run.
      else if (l.includes('"event":') && serviceEvents.push(`${(performance.now() / 1000).toFixed(1)} s ${l.slice(0, 400)}`) > 40) serviceEvents.shift();
    }
  });
  const connectStart = performance.now();
  const connected = waitForLine(
    service.stdout!,
    (l) => {
      if (!l.startsWith('{')) return undefined;
      const m = JSON.parse(l) as { event?: { event: string; tunName?: string; mtu?: number; reason?: string; message?: string } };
      if (m.event?.event === 'connected') return { tunName: m.event.tunName ?? '', mtu: m.event.mtu ?? 0 };
      if (m.event?.event === 'error') throw new Error(`the service failed to connect: ${m.event.reason}: ${m.event.message}`);
      return undefined;
    },
    30_000,
    'the service to connect',
  );
  service.stdin!.write(
    `${JSON.stringify({
      v: 1,
      id: 1,
      method: 'connect',
      params: {
        server: SERVER_VETH_IP,
        username: USER,
        password: PASSWORD,
        auth: ['mschapv2'],
        mppe: { mppe: 'require-128', allowStateful: false },
        routes: 'none',
        dns: false,
      },
    })}\n`,
  );
  const up = await connected.catch((e: Error) => {
    throw new Error(`${e.message}; service said: ${serviceLog.trim()}; server said: ${serverLog.trim()}`);
  });
  const s: Sides = { nsClient, nsServer, servicePid: service.pid!, serverPid: server.pid!, tunName: up.tunName, vethClient, service };
  print(
    `  connected in ${Math.round(performance.now() - connectStart)} ms: ${up.tunName} MTU ${up.mtu}, MS-CHAPv2, stateless MPPE-128; ` +
      `server GRE window ${o.serverWindow}; service node flags ${o.serviceNodeFlags.length > 0 ? o.serviceNodeFlags.join(' ') : '(none: V8 defaults)'}${o.serviceNodeFlags === SERVICE_NODE_FLAGS ? ' (as shipped)' : ''}; iperf3 ${o.seconds} s per run; UDP datagrams ${UDP_PAYLOAD} octets (1,400-octet IP packets); CPU = user+sys of all threads / wall time`,
  );

  // Idle memory first, before any traffic has grown the heap.
  await sleep(o.settleSeconds * 1000);
  const idleRss = rssMegabytes(s.servicePid);
  const idleBreakdown = await memoryBreakdown(s);

  // iperf3 needs its server listening; it binds within milliseconds of start.
  await sleep(200);
  if (iperfServer.exitCode !== null) throw new Error('iperf3 -s exited');
  const ping = await run('ip', ['netns', 'exec', nsClient, 'ping', '-c', '20', '-i', '0.05', '-s', String(UDP_PAYLOAD), '-q', TUNNEL_SERVER_IP], cleanup, 15_000);
  const rtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(ping.stdout);
  const loss = /(\d+(?:\.\d+)?)% packet loss/.exec(ping.stdout);
  print(`  ping through the tunnel (1,400-octet packets): ${rtt ? `rtt min/avg/max ${rtt[1]}/${rtt[2]}/${rtt[3]} ms` : 'no answer'}, ${loss?.[1] ?? '?'} % lost`);
  if (process.env.BENCH_E2E_HOLD) {
    print(`  holding: ${nsClient} / ${nsServer}, service pid ${s.servicePid}, server pid ${s.serverPid}; touch ${process.env.BENCH_E2E_HOLD} to go on`);
    while (!existsSync(process.env.BENCH_E2E_HOLD)) await sleep(500);
  }
  const tcpTests: Test[] = [
    ['TCP client → server', [], true, false],
    ['TCP server → client', ['-R'], false, false],
  ];
  // UDP last: an unlimited flood overruns the GRE window and may wedge the tunnel (reported).
  const udpTests: Test[] = [
    ['UDP client → server, -b 0', ['-u', '-b', '0', '-l', String(UDP_PAYLOAD)], true, true],
    ['UDP server → client, -b 0', ['-u', '-b', '0', '-l', String(UDP_PAYLOAD), '-R'], false, true],
  ];
  const header = () =>
    print(`  ${'transfer'.padEnd(32)} ${'Mbit/s'.padStart(8)} ${'pkt/s'.padStart(8)} ${'client CPU'.padStart(10)} ${'CPU s/Gbit'.padStart(10)} ${'server CPU'.padStart(10)}  ratio to 1 Gbit/s  note`);
  const figures: { name: string; result: TransferResult | string; wedged: boolean }[] = [];
  const runTests = async (tests: Test[]) => {
    for (const [name, args, upload, udp] of tests) {
      let result: TransferResult | string;
      try {
        const r = await transfer(s, cleanup, name, args, o.seconds, upload, udp);
        result = r;
        const perGbit = r.mbps > 0 ? (r.clientCpu * 1000) / r.mbps : NaN;
        print(
          `  ${name.padEnd(32)} ${r.mbps.toFixed(0).padStart(8)} ${(r.packetsPerSecond / 1000).toFixed(1).padStart(7)}k ${`${(r.clientCpu * 100).toFixed(0)} %`.padStart(10)} ` +
            `${perGbit.toFixed(2).padStart(10)} ${`${(r.serverCpu * 100).toFixed(0)} %`.padStart(10)}  ${`${(r.mbps / TARGET_MBPS).toFixed(2)}x`.padStart(17)}  ${r.note}`,
        );
        print(`  ${''.padEnd(32)} client threads: ${formatThreadShares(r.clientThreads)}`);
      } catch (e) {
        result = `unavailable: ${(e as Error).message.slice(0, 200)}`;
        print(`  ${name.padEnd(32)} ${result}`);
      }
      const alive = await run('ip', ['netns', 'exec', nsClient, 'ping', '-c', '3', '-i', '0.3', '-W', '1', '-q', TUNNEL_SERVER_IP], cleanup, 10_000);
      if (alive.code !== 0) print(`  ${''.padEnd(32)} the tunnel passes no ping after this run: wedged`);
      figures.push({ name, result, wedged: alive.code !== 0 });
    }
  };
  header();
  await runTests(tcpTests);
  const greStats = (JSON.parse(lastStats.line || '{}') as { event?: { gre?: Record<string, number>; rttMs?: number } }).event;
  if (greStats?.gre) print(`  client GRE counters: ${Object.entries(greStats.gre).map(([k, v]) => `${k} ${v}`).join(', ')}; rtt ${greStats.rttMs ?? '-'} ms`);

  // Memory: idle, then a soak under bidirectional TCP.
  print('\nconnected service memory (RSS from /proc; breakdown from process.memoryUsage())');
  const b = idleBreakdown;
  print(
    `  idle after ${o.settleSeconds} s connected: RSS ${idleRss?.toFixed(1) ?? '-'} MB (target ≤ ${IDLE_RSS_TARGET_MB} MB: ${idleRss !== undefined ? (idleRss / IDLE_RSS_TARGET_MB).toFixed(2) : '-'}x)` +
      (b ? `; heap used ${mb(b.heapUsed)} / total ${mb(b.heapTotal)} MB, external ${mb(b.external)} MB (array buffers ${mb(b.arrayBuffers)}), rest (code, native, allocator) ${mb(b.rss! - b.heapTotal! - b.external!)} MB` : ''),
  );
  const soakFigures = o.soakSeconds > 0 ? await soak(s, cleanup, o.soakSeconds, print) : undefined;

  print('\nend to end, UDP at an unlimited offered rate (1,400-octet IP packets)');
  header();
  await runTests(udpTests);
  const clientGre = (JSON.parse(lastStats.line || '{}') as { event?: { gre?: Record<string, number> } }).event?.gre;
  if (clientGre) print(`  client GRE counters at the end: ${Object.entries(clientGre).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const serverReport = waitForLine(server.stdout!, (l) => (l.includes('"counters"') ? l : undefined), 3000, 'the server report');
  process.kill(s.serverPid, 'SIGUSR2');
  const sr = JSON.parse(await serverReport.catch(() => '{}')) as { counters?: object; gre?: object };
  print(`  server: ${JSON.stringify(sr.counters ?? {})}; GRE ${JSON.stringify(sr.gre ?? {})}`);
  if (figures.some((f) => f.wedged) || (soakFigures?.rate ?? '').startsWith('0 Mbit/s')) {
    print(`\nthe tunnel fell or stalled during the run; the service's events (bench clock) and its last log lines:`);
    for (const e of serviceEvents) print(`  ${e}`);
    for (const l of serviceLog.trim().split('\n').slice(-15)) print(`  log: ${l}`);
    for (const l of serverLog.trim().split('\n').slice(-10)) print(`  server log: ${l}`);
  }
  printReadmeBlock(print, { figures, idleRss, idle: idleBreakdown, settleSeconds: o.settleSeconds, soak: soakFigures });

  // Stop the service the way the app does, so a CPU profile is written.
  service.stdin!.write(`${JSON.stringify({ v: 1, id: 2, method: 'shutdown' })}\n`);
  await exited(service, 10_000);
  if (o.cpuProfile) {
    const files = existsSync(profileDir) ? readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')) : [];
    if (files.length === 0) print('  cpu profile: none written');
    else {
      print(`\nservice CPU profile (whole run, self time; ${files[0]})`);
      for (const line of summarizeCpuProfile(readFileSync(join(profileDir, files[0]!), 'utf8'), 20)) print(`  ${line}`);
    }
    // The server writes its profile when it exits (SIGTERM: server-main.ts exits cleanly).
    server.kill('SIGTERM');
    await exited(server, 10_000);
    const serverFiles = readdirSync(serverProfileDir).filter((f) => f.endsWith('.cpuprofile'));
    if (serverFiles.length === 0) print('  server cpu profile: none written');
    else {
      print(`\nbench server CPU profile (whole run, self time; ${serverFiles[0]})`);
      for (const line of summarizeCpuProfile(readFileSync(join(serverProfileDir, serverFiles[0]!), 'utf8'), 12)) print(`  ${line}`);
    }
  }
}

/** What the soak measured, for the README block. */
interface SoakFigures {
  readonly seconds: number;
  readonly rate: string;
  readonly first: number;
  readonly last: number;
  readonly max: number;
  /** RSS range and slope over the second half (after warm-up). */
  readonly lateMin: number;
  readonly lateMax: number;
  readonly perMin: number;
  readonly perMinLate: number;
}

async function soak(s: Sides, cleanup: Cleanup, seconds: number, print: (l: string) => void): Promise<SoakFigures | undefined> {
  const samples: { t: number; rss: number }[] = [];
  const start = performance.now();
  const iperf = run('ip', ['netns', 'exec', s.nsClient, 'iperf3', '-c', TUNNEL_SERVER_IP, '--bidir', '-t', String(seconds), '-J'], cleanup, (seconds + 30) * 1000);
  let done = false;
  void iperf.then(() => (done = true));
  const cpu0 = cpuTotal(s.servicePid);
  // Shown every 30 s on a long soak (about a dozen points on a short one), each with the
  // service's own split (V8 heap used/total, external incl. array buffers) so a growth is placed.
  const every = seconds >= 300 ? 30 : Math.max(1, Math.round(seconds / 12));
  const shown: string[] = [];
  for (let i = 0; !done && i <= seconds + 5; i++) {
    await sleep(1000);
    const rss = rssMegabytes(s.servicePid);
    if (rss === undefined) break;
    const t = (performance.now() - start) / 1000;
    samples.push({ t, rss });
    if (i % every === 0) {
      const b = await memoryBreakdown(s);
      shown.push(
        `    ${`${t.toFixed(0)} s`.padStart(6)}  RSS ${rss.toFixed(1).padStart(6)}` +
          (b ? `  heap ${mb(b.heapUsed).padStart(5)} / ${mb(b.heapTotal).padStart(5)}  external ${mb(b.external).padStart(5)} (array buffers ${mb(b.arrayBuffers)})  rest ${mb(b.rss! - b.heapTotal! - b.external!).padStart(5)}` : ''),
      );
    }
  }
  const result = await iperf;
  const cpu = (cpuTotal(s.servicePid) - cpu0) / ((performance.now() - start) / 1000);
  let rate = '';
  try {
    const r = JSON.parse(result.stdout) as { end?: { sum_received?: { bits_per_second: number }; sum_received_bidir_reverse?: { bits_per_second: number } } };
    rate = `${((r.end?.sum_received?.bits_per_second ?? 0) / 1e6).toFixed(0)} Mbit/s up + ${((r.end?.sum_received_bidir_reverse?.bits_per_second ?? 0) / 1e6).toFixed(0)} Mbit/s down`;
  } catch {
    rate = 'iperf3 gave no result';
  }
  if (samples.length < 2) {
    print(`  soak: unavailable: too few samples (${result.stderr.trim()})`);
    return undefined;
  }
  const rss = samples.map((x) => x.rss);
  const half = samples.slice(Math.floor(samples.length / 2));
  const perMin = slope(samples.map((x) => x.t / 60), rss);
  const perMinLate = slope(half.map((x) => x.t / 60), half.map((x) => x.rss));
  print(`  soak ${seconds} s, bidirectional TCP (${rate}, client CPU ${(cpu * 100).toFixed(0)} %):`);
  print('    RSS MB over time (heap used / total, external, rest = RSS - heap total - external; MB):');
  for (const line of shown) print(line);
  print(
    `    first ${rss[0]!.toFixed(1)}, last ${rss[rss.length - 1]!.toFixed(1)}, max ${Math.max(...rss).toFixed(1)} MB; ` +
      `slope ${perMin.toFixed(2)} MB/min over the run, ${perMinLate.toFixed(2)} MB/min over its second half (target: no growth)`,
  );
  const late = half.map((x) => x.rss);
  return {
    seconds,
    rate,
    first: rss[0]!,
    last: rss[rss.length - 1]!,
    max: Math.max(...rss),
    lateMin: Math.min(...late),
    lateMax: Math.max(...late),
    perMin,
    perMinLate,
  };
}

/** The figures the README's Performance table carries, as one markdown block to paste. */
function printReadmeBlock(
  print: (l: string) => void,
  r: {
    figures: readonly { name: string; result: TransferResult | string; wedged: boolean }[];
    idleRss: number | undefined;
    idle: Record<string, number> | undefined;
    settleSeconds: number;
    soak: SoakFigures | undefined;
  },
): void {
  print('\nfigures for the README (markdown):');
  print('| measurement | figure | target |');
  print('|---|---|---|');
  for (const f of r.figures) {
    const wedged = f.wedged ? '; the tunnel passed no ping afterwards (wedged)' : '';
    if (typeof f.result === 'string') {
      print(`| ${f.name} | ${f.result}${wedged} | — |`);
      continue;
    }
    const x = f.result;
    const perGbit = x.mbps > 0 ? (x.clientCpu * 1000) / x.mbps : NaN;
    const udp = f.name.startsWith('UDP');
    print(
      `| ${f.name} | ${x.mbps.toFixed(0)} Mbit/s${udp ? ' delivered' : ''}, ${(x.packetsPerSecond / 1000).toFixed(1)}k pkt/s` +
        // The client's veth counters: GRE datagrams sent (after the engine's window drops) or received.
        `${udp && f.name.includes('client → server') ? ' sent' : ''}, client ${(x.clientCpu * 100).toFixed(0)} % CPU = ${perGbit.toFixed(2)} CPU s/Gbit, server ${(x.serverCpu * 100).toFixed(0)} %; ${x.note}${wedged} (client threads: ${formatThreadShares(x.clientThreads)}) | ` +
        `${udp ? '—' : `≥ 1 Gbit/s on one core (${(x.mbps / TARGET_MBPS).toFixed(2)}x)`} |`,
    );
  }
  const b = r.idle;
  print(
    `| service RSS idle (${r.settleSeconds} s connected) | ${r.idleRss?.toFixed(1) ?? '-'} MB` +
      (b ? ` (heap ${mb(b.heapTotal)} MB, external ${mb(b.external)} MB, code/native ${mb(b.rss! - b.heapTotal! - b.external!)} MB)` : '') +
      ` | ≤ ${IDLE_RSS_TARGET_MB} MB (${r.idleRss !== undefined ? (r.idleRss / IDLE_RSS_TARGET_MB).toFixed(2) : '-'}x) |`,
  );
  const k = r.soak;
  if (k)
    print(
      `| service RSS over a ${k.seconds} s soak (${k.rate}) | first ${k.first.toFixed(1)} / last ${k.last.toFixed(1)} / max ${k.max.toFixed(1)} MB; ` +
        `second half ${k.lateMin.toFixed(1)}..${k.lateMax.toFixed(1)} MB, ${k.perMinLate.toFixed(2)} MB/min (whole run ${k.perMin.toFixed(2)} MB/min) | no growth |`,
    );
}
