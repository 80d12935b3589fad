/**
 * TUN throughput of pptp-native-helper, measured in a throwaway network namespace (root):
 *   node --import tsx native-helper/bench/tun-throughput.mts [seconds]
 *
 * - read: UDP senders (separate processes in the namespace) flood an address routed into the
 *   TUN; we count packets delivered to JavaScript in batches, the helper's drops (JS behind),
 *   the kernel's drops (reader behind), and this process's CPU (main thread + reader thread);
 * - idle: the same at ~1000 packets/s, to see what the reader costs when traffic is light;
 * - write: writeBatch() of 64 × 84-octet IPv4/UDP packets, synchronous write(2) each.
 *
 * Not in bench/run.ts on purpose: that harness times a synchronous function in one process,
 * and this needs a reader thread, traffic from other processes and its own namespace.
 * Measurements to read, never asserted.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? '5');
const here = fileURLToPath(import.meta.url);
const role = process.env.TUN_BENCH_ROLE;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

async function sender(rate: number): Promise<void> {
  // rate 0: as fast as possible. Sends to 10.77.0.2 (the TUN's peer), so every datagram is a TUN read.
  const socket = createSocket('udp4');
  const payload = Buffer.alloc(Number(process.env.TUN_BENCH_PAYLOAD ?? '56'));
  const burst = 256;
  const tick = (): void => {
    let pending = burst;
    for (let i = 0; i < burst; i++) socket.send(payload, 9, '10.77.0.2', () => (--pending === 0 ? next() : undefined));
  };
  const next = (): void => {
    if (rate === 0) setImmediate(tick);
    else setTimeout(tick, (burst / rate) * 1000);
  };
  tick();
}

function kernelTxStats(dev: string): { packets: number; dropped: number } {
  const rows = JSON.parse(ip('-j', '-s', 'link', 'show', 'dev', dev)) as { stats64: { tx: { packets: number; dropped: number } } }[];
  const tx = rows[0]!.stats64.tx;
  return { packets: tx.packets, dropped: tx.dropped };
}

async function measureRead(label: string, senders: ChildProcess[], tunName: string, stats: () => { rxPackets: number; rxDrops: number; rxBatches: number }): Promise<void> {
  await new Promise((r) => setTimeout(r, 500)); // warm up
  const k0 = kernelTxStats(tunName);
  const s0 = stats();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const s1 = stats();
  const k1 = kernelTxStats(tunName);
  for (const s of senders) s.kill('SIGKILL');
  const rx = s1.rxPackets - s0.rxPackets;
  const batches = s1.rxBatches - s0.rxBatches;
  console.log(
    `${label.padEnd(26)} ${(rx / wall / 1000).toFixed(1).padStart(7)}k pkt/s delivered to JS, ` +
      `avg batch ${(rx / Math.max(batches, 1)).toFixed(1)}, helper drops ${s1.rxDrops - s0.rxDrops}, ` +
      `kernel drops ${k1.dropped - k0.dropped} of ${k1.packets - k0.packets + k1.dropped - k0.dropped} offered, ` +
      `CPU ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0)}% of one core (user ${(cpu.user / 1e6 / wall * 100).toFixed(0)}%, sys ${(cpu.system / 1e6 / wall * 100).toFixed(0)}%)`,
  );
}

function startSenders(count: number, rate: number, payload: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawn(process.execPath, ['--import', 'tsx', here], {
      env: { ...process.env, TUN_BENCH_ROLE: 'sender', TUN_BENCH_RATE: String(rate), TUN_BENCH_PAYLOAD: String(payload) },
      stdio: 'ignore',
    }),
  );
}

function udpPacket(): Buffer {
  const packet = Buffer.alloc(84);
  packet[0] = 0x45;
  packet.writeUInt16BE(84, 2);
  packet[8] = 64;
  packet[9] = 17; // UDP
  Buffer.from([10, 77, 0, 2]).copy(packet, 12);
  Buffer.from([10, 99, 0, 1]).copy(packet, 16); // not local, forwarding off: the kernel drops it after reading
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += packet.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  packet.writeUInt16BE(~sum & 0xffff, 10);
  packet.writeUInt16BE(40000, 20);
  packet.writeUInt16BE(9, 22);
  packet.writeUInt16BE(64, 24);
  return packet;
}

async function inNamespace(): Promise<void> {
  const { TunDevice } = await import('../../main/service/tun/tun-device');
  const opened = TunDevice.open({ name: 'bench%d', batchSize: 64, queueLimit: 256 });
  if (!opened.ok) throw opened.error;
  const tun = opened.value;
  ip('link', 'set', 'dev', 'lo', 'up');
  ip('address', 'add', '10.77.0.1', 'peer', '10.77.0.2/32', 'dev', tun.name);
  ip('link', 'set', 'dev', tun.name, 'mtu', '1500', 'up');
  let bytes = 0;
  tun.onPackets((packets) => {
    for (const p of packets) bytes += p.length;
  });
  const stats = (): { rxPackets: number; rxDrops: number; rxBatches: number } => tun.stats();
  console.log(`node ${process.version}, ${seconds} s per measurement, TUN ${tun.name}, batchSize 64, queueLimit 256`);
  await measureRead('read, 84-octet packets', startSenders(1, 0, 56), tun.name, stats);
  await measureRead('read, 1428-octet packets', startSenders(1, 0, 1400), tun.name, stats);
  await measureRead('read, idle ~1k pkt/s', startSenders(1, 1000, 56), tun.name, stats);

  const batch = Array.from({ length: 64 }, udpPacket);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let written = 0;
  while (performance.now() - t0 < seconds * 1000) written += tun.writeBatch(batch);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const s = tun.stats();
  console.log(
    `${'write, 84-octet packets'.padEnd(26)} ${(written / wall / 1000).toFixed(1).padStart(7)}k pkt/s (writeBatch of 64), ` +
      `tx errors ${s.txErrors}, CPU ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0)}% of one core`,
  );
  tun.close();
  void bytes;
}

async function main(): Promise<void> {
  if (role === 'sender') return sender(Number(process.env.TUN_BENCH_RATE ?? '0'));
  if (role === 'inside') return inNamespace();
  if (process.getuid?.() !== 0) {
    console.log('tun-throughput: needs root (creates a network namespace and a TUN device); skipped');
    return;
  }
  const ns = `pptpbench-${randomBytes(3).toString('hex')}`;
  ip('netns', 'add', ns);
  try {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', here, String(seconds)], {
      env: { ...process.env, TUN_BENCH_ROLE: 'inside' },
      stdio: 'inherit',
    });
    await new Promise((r) => child.on('close', r));
  } finally {
    ip('netns', 'delete', ns);
  }
}

await main();
