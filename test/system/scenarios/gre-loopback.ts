/**
 * Scenario: GreSocket on a real Linux kernel, inside a namespace. It queues GRE packets to
 * 127.0.0.1 on its own raw socket, flushes them in one batch (sendmmsg) and receives them back on
 * the same socket (the kernel delivers a loopback datagram for protocol 47 to every raw socket
 * that matches it; a socket connected to 127.0.0.1 matches source 127.0.0.1), so the bytes that
 * reach `onGre` have been through the kernel's real raw delivery, the helper's batches and our
 * IPv4-header stripping. With a small loopback MTU the kernel fragments on output and reassembles
 * before raw delivery.
 *
 * `otherSource`: first a second raw GRE socket (the helper's GrePort, connected to 10.9.0.1, an
 * address added to lo) sends from 10.9.0.1; once that socket has its own datagram back, the
 * kernel has delivered it to every raw socket it matched. Then a marker from 127.0.0.1: when it
 * arrives, everything queued before it was read, so what GreSocket got is final.
 * `closeWhileReading`: close() right after flushing a burst, with the reader thread busy; the
 * scenario then just returns, and the test sees whether the process exits.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type * as NativeHelper from 'pptp-native-helper';
import { GreSocket } from '../../../main/service/io/gre-socket';
import { emit, fail, scenarioArgs } from './common';

interface Args {
  readonly sizes: number[];
  readonly loMtu?: number;
  readonly otherSource?: boolean;
  readonly closeWhileReading?: boolean;
  readonly drainAtOnce?: boolean;
}

/** An enhanced GRE header (RFC 2637 §4.1: S+K, version 1, 0x880b, payload length, call id, seq) and a patterned payload. */
function grePacket(payloadLength: number, seq: number): Uint8Array {
  const p = new Uint8Array(12 + payloadLength);
  const v = new DataView(p.buffer);
  v.setUint16(0, 0x3001);
  v.setUint16(2, 0x880b);
  v.setUint16(4, payloadLength);
  v.setUint16(6, 0x0080);
  v.setUint32(8, seq);
  for (let i = 0; i < payloadLength; i++) p[12 + i] = (i * 7 + seq) & 0xff;
  return p;
}

/** This namespace's IP reassembly counter (/proc/net/snmp "Ip:" ReasmOKs, per netns). */
function reassembledDatagrams(): number {
  const ipLines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Ip:'));
  const names = ipLines[0]!.split(/\s+/);
  const values = ipLines[1]!.split(/\s+/);
  return Number(values[names.indexOf('ReasmOKs')]);
}

async function until(done: () => boolean): Promise<void> {
  // Bounded so a lost datagram ends the scenario with its output rather than hanging it.
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

async function otherSource(): Promise<void> {
  execFileSync('ip', ['address', 'add', '10.9.0.1/32', 'dev', 'lo']);
  const helper = createRequire(import.meta.url)('pptp-native-helper') as typeof NativeHelper;
  const received: Uint8Array[] = [];
  const socket = new GreSocket('127.0.0.1', (gre) => received.push(gre.slice()), (e) => fail(e));
  const other = helper.openGre({ remote: '10.9.0.1' });
  let otherGot = 0;
  other.startReading((_bytes, ends) => (otherGot += ends.length));
  const foreign = grePacket(40, 0xf0);
  other.sendBatch([foreign], Uint32Array.of(0), Uint32Array.of(foreign.length), 1);
  await until(() => otherGot > 0);
  const marker = grePacket(8, 1);
  socket.send(marker);
  socket.flush();
  await until(() => received.length > 0);
  const counters = socket.counters;
  socket.close();
  other.close();
  emit({
    otherSocketGotItsDatagram: otherGot === 1,
    receivedOnlyTheMarker: received.length === 1 && same(received[0]!, marker),
    receivedCount: received.length,
    counters,
  });
}

async function main(): Promise<void> {
  const args = scenarioArgs<Args>();
  if (args.otherSource) return otherSource();
  if (args.loMtu !== undefined) execFileSync('ip', ['link', 'set', 'dev', 'lo', 'mtu', String(args.loMtu)]);
  const sent = args.sizes.map((n, i) => grePacket(n, i + 1));
  const received: Uint8Array[] = [];
  let batchEnds = 0;
  const reassembledBefore = reassembledDatagrams();
  const socket = new GreSocket('127.0.0.1', (gre) => received.push(gre.slice()), (e) => fail(e), { onBatchEnd: () => batchEnds++ });
  for (const packet of sent) socket.send(packet);
  const flushed = socket.flush();
  if (args.drainAtOnce) {
    // No await since the flush: on loopback the kernel has queued every datagram before
    // sendmmsg returns, so drain() must hand over all of them now, in order, whether the reader
    // thread had already taken some or not (its receive-and-queue is one step against drain).
    const drained = socket.drain();
    const receivedAtOnce = received.length;
    const inOrderAtOnce = receivedAtOnce === sent.length && sent.every((s, i) => same(s, received[i]!));
    socket.close();
    emit({ flushed, drained, receivedAtOnce, inOrderAtOnce });
    return;
  }
  if (args.closeWhileReading) {
    socket.close();
    emit({ closed: true, flushed });
    return; // the process must now exit on its own: no reader thread or handle left
  }
  await until(() => received.length >= sent.length);
  const counters = socket.counters;
  socket.close();
  emit({
    receivedLengths: received.map((r) => r.length),
    sentLengths: sent.map((s) => s.length),
    allIdentical: received.length === sent.length && sent.every((s) => received.some((r) => same(r, s))),
    inOrder: received.length === sent.length && sent.every((s, i) => same(s, received[i]!)),
    reassembled: reassembledDatagrams() - reassembledBefore,
    flushed,
    batchEnds,
    counters,
  });
}

main().catch(fail);
