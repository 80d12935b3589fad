/**
 * Raw GRE send throughput, measured between two throwaway network namespaces joined by a veth
 * pair (root):
 *   node --import tsx native-helper/bench/gre-throughput.mts [packets]
 *
 * The sender (this process, namespace A, 10.88.0.1) sends `packets` GRE packets of 1,412 octets
 * (a 1,400-octet payload) to 10.88.0.2 as fast as it can, three ways:
 *  - batch:      GreSocket (main/service/io/gre-socket.ts) over the helper's GrePort: sendAt ×64
 *                then flush(), i.e. one sendmmsg(2) per 64 packets;
 *  - single:     the helper's sendBatch with count 1, i.e. one sendmmsg(2) per packet;
 *  - raw-socket: the raw-socket module as GreSocket used it before, one async sendto(2) and JS
 *                completion callback per packet (at most 256 in flight); skipped if not installed.
 * A receiver (a child in namespace B) counts what arrives through its own GrePort (datagrams and
 * JS batches). Printed: packets/s, this process's CPU seconds per million packets, and what the
 * receiver got. Measurements to read, never asserted.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type * as NativeHelper from 'pptp-native-helper';
import { GreSocket } from '../../main/service/io/gre-socket.ts';

const here = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const helper = require('../index.cjs') as typeof NativeHelper;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

/** Namespace B: counts GRE datagrams from 10.88.0.1 until stdin ends, then prints them. */
function receiver(): void {
  const port = helper.openGre({ remote: '10.88.0.1' });
  let datagrams = 0;
  let batches = 0;
  port.startReading((_bytes, ends) => {
    datagrams += ends.length;
    batches++;
  }, { batchSize: 256, queueLimit: 1024 });
  process.stdout.write('ready\n');
  process.stdin.on('data', (chunk: Buffer) => {
    if (!chunk.toString().includes('report')) return;
    const s = port.stats();
    process.stdout.write(`${JSON.stringify({ datagrams, batches, drops: s.rxDrops })}\n`);
    datagrams = 0;
    batches = 0;
  });
  process.stdin.on('end', () => port.close());
}

function grePacket(payload: number): Uint8Array {
  const p = new Uint8Array(12 + payload);
  const v = new DataView(p.buffer);
  v.setUint16(0, 0x3001); // RFC 2637 §4.1: K and S, version 1
  v.setUint16(2, 0x880b);
  v.setUint16(4, payload);
  v.setUint16(6, 0x0080);
  return p;
}

interface RawSocketLike {
  send(b: Uint8Array, o: number, l: number, a: string, before: null, after: (e: Error | null) => void): void;
  close(): void;
}

async function sendRawSocket(packet: Uint8Array, count: number): Promise<void> {
  const raw = require('raw-socket') as { createSocket(o: { protocol: number }): RawSocketLike };
  const socket = raw.createSocket({ protocol: 47 });
  let started = 0;
  let done = 0;
  await new Promise<void>((finish) => {
    const after = (): void => {
      done++;
      if (done === count) finish();
      else if (started < count) start();
    };
    const start = (): void => {
      started++;
      socket.send(packet, 0, packet.length, '10.88.0.2', null, after);
    };
    for (let i = 0; i < 256 && started < count; i++) start();
  });
  socket.close();
}

async function main(): Promise<void> {
  if (process.env.GRE_BENCH_ROLE === 'receiver') return receiver();
  const count = Number(process.argv[2] ?? '200000');
  const tag = randomBytes(3).toString('hex');
  const a = `grebench-a-${tag}`;
  const b = `grebench-b-${tag}`;
  if (!process.env.GRE_BENCH_INSIDE) {
    ip('netns', 'add', a);
    ip('netns', 'add', b);
    try {
      ip('-n', a, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b);
      ip('-n', a, 'address', 'add', '10.88.0.1/24', 'dev', 'va');
      ip('-n', b, 'address', 'add', '10.88.0.2/24', 'dev', 'vb');
      for (const [ns, dev] of [[a, 'va'], [b, 'vb']] as const) {
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('-n', ns, 'link', 'set', dev, 'up');
      }
      execFileSync('ip', ['netns', 'exec', a, process.execPath, '--import', 'tsx', here, String(count)], {
        stdio: 'inherit',
        env: { ...process.env, GRE_BENCH_INSIDE: '1', GRE_BENCH_PEER_NS: b },
      });
    } finally {
      ip('netns', 'delete', a);
      ip('netns', 'delete', b);
    }
    return;
  }
  const peer = spawn('ip', ['netns', 'exec', process.env.GRE_BENCH_PEER_NS!, process.execPath, '--import', 'tsx', here], {
    env: { ...process.env, GRE_BENCH_ROLE: 'receiver' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let waiting: ((line: string) => void) | null = null;
  let partial = '';
  peer.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(line);
      } else lines.push(line);
    }
  });
  const nextLine = (): Promise<string> => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((r) => (waiting = r)));
  await nextLine(); // ready

  const packet = grePacket(1400);
  const modes: [string, () => Promise<void> | void][] = [
    ['batch (GreSocket, flush per 64)', () => {
      const gre = new GreSocket('10.88.0.2', () => undefined, (e) => console.error(e));
      for (let i = 0; i < count; i++) {
        gre.sendAt(packet, 0);
        if ((i & 63) === 63) gre.flush();
      }
      gre.flush();
      gre.close();
    }],
    ['single (sendBatch of 1)', () => {
      const port = helper.openGre({ remote: '10.88.0.2' });
      const starts = Uint32Array.of(0);
      const ends = Uint32Array.of(packet.length);
      const buffers = [packet];
      for (let i = 0; i < count; i++) port.sendBatch(buffers, starts, ends, 1);
      port.close();
    }],
  ];
  let haveRawSocket = true;
  try {
    require.resolve('raw-socket');
  } catch {
    haveRawSocket = false;
  }
  if (haveRawSocket) modes.push(['raw-socket (sendto + callback each)', () => sendRawSocket(packet, count)]);

  console.log(`GRE send, ${count} packets of ${packet.length} octets, veth between two namespaces`);
  for (const [label, run] of modes) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await new Promise((r) => setTimeout(r, 300)); // let the receiver drain
    peer.stdin.write('report\n');
    const got = JSON.parse(await nextLine()) as { datagrams: number; batches: number; drops: number };
    const cpuPerMillion = ((cpu.user + cpu.system) / 1e6 / count) * 1e6;
    console.log(
      `${label.padEnd(38)} ${Math.round(count / wall).toLocaleString('en').padStart(9)} packets/s, ` +
        `CPU ${cpuPerMillion.toFixed(2)} s per million; receiver got ${got.datagrams} in ${got.batches} batches`,
    );
  }
  peer.stdin.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
