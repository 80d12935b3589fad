/**
 * Scenario: the TUN reader while the JavaScript thread is busy. It opens a TUN, gives it
 * 10.78.0.1 peer 10.78.0.2, routes 10.78.1.0/24 through it and starts the reader; then a separate
 * sender process (node, dgram) sends `count` small UDP datagrams to 10.78.1.1:9 (the discard
 * port: nothing inside the namespace answers, the TUN is the only way out) spaced `spacingUs`
 * apart, so the reader thread reads them one at a time. Meanwhile this process's JS thread spins
 * in a busy loop until the sender has written its "done" file, so no batch can reach JavaScript
 * during the send. Then it lets the event loop run until the reader has either handed over or
 * dropped every datagram, and prints what JavaScript received and the TUN stats.
 * Args: { count: number, spacingUs: number, batchSize?: number, queueLimit?: number }.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TunDevice } from '../../../main/service/tun/tun-device';
import { emit, fail, ipSteps, scenarioArgs, until } from './common';

const TARGET = '10.78.1.1';
const DISCARD_PORT = 9; // RFC 863
/** Guards against a hang, not measured times: the scenario fails if the sender or the kernel stalls. */
const STALL_LIMIT_MS = 30_000;

/**
 * The sender (argv: target, port, count, spacingUs, doneFile): a connected UDP socket, so each
 * send() goes to the kernel at once (no DNS step), spaced by spinning on the monotonic clock; the
 * done file is written when the last send has completed.
 */
const SENDER = `
const dgram = require('node:dgram');
const fs = require('node:fs');
const [target, port, count, spacingUs, doneFile] = process.argv.slice(1);
const socket = dgram.createSocket('udp4');
socket.connect(Number(port), target, () => {
  const spacing = BigInt(spacingUs) * 1000n;
  let next = process.hrtime.bigint();
  for (let i = 0; i < Number(count); i++) {
    const last = i === Number(count) - 1;
    socket.send(Buffer.from('busy ' + i), last ? () => { fs.writeFileSync(doneFile, count); socket.close(); } : undefined);
    next += spacing;
    while (process.hrtime.bigint() < next) {}
  }
});
`;

/** The index in a datagram "busy <i>" sent by SENDER to the discard port, else -1. */
function datagramIndex(packet: Buffer): number {
  if (packet.length < 28 || packet[0] !== 0x45 || packet[9] !== 17) return -1;
  if (packet.readUInt16BE(22) !== DISCARD_PORT) return -1;
  const text = packet.subarray(28).toString('latin1');
  return text.startsWith('busy ') ? Number(text.slice(5)) : -1;
}

async function main(): Promise<void> {
  const args = scenarioArgs<{ count: number; spacingUs: number; batchSize?: number; queueLimit?: number }>();
  const opened = TunDevice.open({
    name: 'pptpbusy0',
    ...(args.batchSize !== undefined ? { batchSize: args.batchSize } : {}),
    ...(args.queueLimit !== undefined ? { queueLimit: args.queueLimit } : {}),
  });
  if (!opened.ok) throw opened.error;
  const tun = opened.value;
  await ipSteps([
    ['address', 'add', '10.78.0.1', 'peer', '10.78.0.2', 'dev', tun.name],
    ['link', 'set', tun.name, 'up'],
    ['route', 'add', '10.78.1.0/24', 'dev', tun.name],
  ]);

  const indices: number[] = [];
  let delivered = 0; // every packet JavaScript got, ours or not
  let callbacks = 0;
  let largestBatch = 0;
  tun.onPackets((packets) => {
    callbacks++;
    largestBatch = Math.max(largestBatch, packets.length);
    delivered += packets.length;
    for (const packet of packets) {
      const index = datagramIndex(packet);
      if (index >= 0) indices.push(index);
    }
  });
  const statsBefore = tun.stats();

  const dir = mkdtempSync(join(tmpdir(), 'pptp-tun-busy-'));
  const doneFile = join(dir, 'done');
  const sender = spawn(process.execPath, ['-e', SENDER, TARGET, String(DISCARD_PORT), String(args.count), String(args.spacingUs), doneFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const senderExit = new Promise<number | null>((resolve) => sender.on('exit', (code) => resolve(code)));
  // The JS thread is busy from here until the sender is done: the reader thread must hold on.
  const since = Date.now();
  let stalled = false;
  while (!existsSync(doneFile)) {
    if (Date.now() - since > STALL_LIMIT_MS) {
      stalled = true;
      break;
    }
  }
  const callbacksWhileBusy = callbacks;
  if (stalled) {
    sender.kill();
    throw new Error('the sender stalled');
  }
  const senderCode = await senderExit;
  rmSync(dir, { recursive: true, force: true });

  // Every datagram read by the reader is either handed to JavaScript or dropped; wait for both.
  const settled = () => {
    const stats = tun.stats();
    const read = stats.rxPackets - statsBefore.rxPackets + (stats.rxDrops - statsBefore.rxDrops);
    return read >= args.count && delivered >= stats.rxPackets - statsBefore.rxPackets;
  };
  await until('the reader to hand over or drop every datagram', settled, STALL_LIMIT_MS);
  const stats = tun.stats();
  tun.close();
  emit({
    sent: args.count,
    senderCode,
    callbacksWhileBusy,
    received: indices.length,
    inOrder: indices.every((index, i) => index === i),
    callbacks,
    largestBatch,
    rx: {
      packets: stats.rxPackets - statsBefore.rxPackets,
      batches: stats.rxBatches - statsBefore.rxBatches,
      drops: stats.rxDrops - statsBefore.rxDrops,
      reads: stats.rxReads - statsBefore.rxReads,
    },
  });
}

main().catch(fail);
