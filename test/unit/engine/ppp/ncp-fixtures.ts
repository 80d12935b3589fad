/** IPCP and CCP layers wired to recording sinks; helpers play the server by hand. */
import type { Failure } from '../../../../main/engine/failure';
import { Ccp } from '../../../../main/engine/ppp/ccp/ccp';
import type { MppePolicy } from '../../../../main/engine/ppp/ccp/mppe-option';
import type { Fsm, FsmFinishCause } from '../../../../main/engine/ppp/fsm';
import type { IpcpResult } from '../../../../main/engine/ppp/ipcp/ipcp';
import { Ipcp } from '../../../../main/engine/ppp/ipcp/ipcp';
import type { MppeParams } from '../../../../main/engine/ppp/mppe-contract';
import type { ControlPacket, PppOption } from '../../../../main/engine/ppp/packet';
import { decodeControlPacket, decodeOptions, encodeControlPacket, encodeOptions } from '../../../../main/engine/ppp/packet';

export interface NcpHarness<L> {
  layer: L;
  fsm: Fsm;
  sent: ControlPacket[];
  failures: Failure[];
  finished: FsmFinishCause[];
}

function recorder(): { sent: ControlPacket[]; transmit: (b: Uint8Array) => void } {
  const sent: ControlPacket[] = [];
  return {
    sent,
    transmit: (b) => {
      const p = decodeControlPacket(b);
      if (p.ok) sent.push(p.value);
    },
  };
}

export function makeIpcp(requestWins = true): NcpHarness<Ipcp> & { ups: IpcpResult[] } {
  const r = recorder();
  const h = { sent: r.sent, failures: [] as Failure[], finished: [] as FsmFinishCause[], ups: [] as IpcpResult[] };
  const layer = new Ipcp(
    { requestWins },
    {
      transmit: r.transmit,
      up: (_n, res) => h.ups.push(res),
      down: () => {},
      finished: (_n, c) => h.finished.push(c),
      failure: (_n, f) => h.failures.push(f),
    },
  );
  layer.fsm.open(0);
  layer.fsm.up(0);
  return { ...h, layer, fsm: layer.fsm };
}

export function makeCcp(
  policy: MppePolicy,
): NcpHarness<Ccp> & { ups: (MppeParams | null)[]; resets: number; resetAcks: number } {
  const r = recorder();
  const h = {
    sent: r.sent,
    failures: [] as Failure[],
    finished: [] as FsmFinishCause[],
    ups: [] as (MppeParams | null)[],
    resets: 0,
    resetAcks: 0,
  };
  const layer = new Ccp(
    { policy },
    {
      transmit: r.transmit,
      up: (_n, m) => h.ups.push(m),
      down: () => {},
      finished: (_n, c) => h.finished.push(c),
      failure: (_n, f) => h.failures.push(f),
      resetRequest: () => h.resets++,
      resetAck: () => h.resetAcks++,
    },
  );
  layer.fsm.open(0);
  layer.fsm.up(0);
  const out = Object.assign(h, { layer, fsm: layer.fsm });
  return out;
}

export function optionsOf(p: ControlPacket | undefined): PppOption[] {
  if (!p) return [];
  const o = decodeOptions(p.data);
  return o.ok ? o.value : [];
}

export function lastSent(h: { sent: ControlPacket[] }, code: number): ControlPacket | undefined {
  return [...h.sent].reverse().find((p) => p.code === code);
}

export function receive(h: { fsm: Fsm }, code: number, id: number, data: Uint8Array): void {
  h.fsm.handlePacket(0, encodeControlPacket({ code, identifier: id, data }));
}

export function receiveRequest(h: { fsm: Fsm }, id: number, options: PppOption[]): void {
  receive(h, 1, id, encodeOptions(options));
}

export function replyOurs(h: { fsm: Fsm; sent: ControlPacket[] }, code: 2 | 3 | 4, options?: PppOption[]): void {
  const req = lastSent(h, 1)!;
  receive(h, code, req.identifier, options ? encodeOptions(options) : req.data);
}
