/**
 * Scenario: GreSocket on a real Linux kernel, inside a namespace. It sends GRE packets to
 * 127.0.0.1 through its own raw socket and receives them back on the same socket (the kernel
 * delivers a loopback datagram for protocol 47 to every matching raw socket), so the bytes that
 * reach `onGre` have been through the kernel's real raw delivery and our IPv4-header stripping.
 * With a small loopback MTU the kernel fragments on output and reassembles before raw delivery.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { GreSocket } from '../../../main/service/io/gre-socket';
import { emit, fail, scenarioArgs } from './common';

interface Args {
  readonly sizes: number[];
  readonly loMtu?: number;
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

async function main(): Promise<void> {
  const { sizes, loMtu } = scenarioArgs<Args>();
  if (loMtu !== undefined) execFileSync('ip', ['link', 'set', 'dev', 'lo', 'mtu', String(loMtu)]);
  const sent = sizes.map((n, i) => grePacket(n, i + 1));
  const received: Uint8Array[] = [];
  const reassembledBefore = reassembledDatagrams();
  const socket = new GreSocket('127.0.0.1', (gre) => received.push(gre.slice()), (e) => fail(e));
  for (const packet of sent) socket.send(packet);
  const deadline = Date.now() + 3000;
  while (received.length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.close();
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  emit({
    receivedLengths: received.map((r) => r.length),
    sentLengths: sent.map((s) => s.length),
    allIdentical: received.length === sent.length && sent.every((s) => received.some((r) => same(r, s))),
    reassembled: reassembledDatagrams() - reassembledBefore,
    counters: socket.counters,
  });
}

main().catch(fail);
