/** An Lcp wired to a recording sink, and helpers that play the server's side by hand. */
import type { Failure } from '../../../../../main/engine/failure';
import type { AuthMethod } from '../../../../../preload/vocabulary';
import type { FsmFinishCause } from '../../../../../main/engine/ppp/fsm';
import type { LcpEchoConfig } from '../../../../../main/engine/ppp/lcp/echo';
import type { LcpNegotiated } from '../../../../../main/engine/ppp/lcp/lcp';
import { Lcp } from '../../../../../main/engine/ppp/lcp/lcp';
import type { ControlPacket, PppOption } from '../../../../../main/engine/ppp/packet';
import { decodeControlPacket, decodeOptions, encodeControlPacket, encodeOptions } from '../../../../../main/engine/ppp/packet';
import { seededRandom } from '../../../../../main/engine/random';
import { fromHex } from '../../../../../main/engine/wire/bytes';

export interface LcpHarness {
  lcp: Lcp;
  sent: ControlPacket[];
  ups: LcpNegotiated[];
  downs: number;
  finished: FsmFinishCause[];
  failures: Failure[];
  protocolRejects: number[];
  terminates: string[];
}

export function makeLcp(
  opts: { allowedAuth?: AuthMethod[]; mru?: number; echo?: LcpEchoConfig; seed?: number } = {},
): LcpHarness {
  const h: LcpHarness = {
    lcp: undefined as unknown as Lcp,
    sent: [],
    ups: [],
    downs: 0,
    finished: [],
    failures: [],
    protocolRejects: [],
    terminates: [],
  };
  h.lcp = new Lcp(
    {
      mru: opts.mru ?? 1400,
      allowedAuth: opts.allowedAuth ?? ['mschapv2'],
      random: seededRandom(opts.seed ?? 5),
      echo: opts.echo ?? { mode: 'off' },
    },
    {
      transmit: (info) => {
        const p = decodeControlPacket(info);
        if (p.ok) h.sent.push(p.value);
      },
      up: (_n, negotiated) => h.ups.push(negotiated),
      down: () => h.downs++,
      finished: (_n, cause) => h.finished.push(cause),
      failure: (_n, failure) => h.failures.push(failure),
      protocolRejected: (_n, protocol) => h.protocolRejects.push(protocol),
      peerTerminate: (_n, text) => h.terminates.push(text),
    },
  );
  h.lcp.fsm.open(0);
  h.lcp.fsm.up(0);
  return h;
}

/** The options of a sent packet. */
export function optionsOf(p: ControlPacket | undefined): PppOption[] {
  if (!p) return [];
  const o = decodeOptions(p.data);
  return o.ok ? o.value : [];
}

export function lastSent(h: LcpHarness, code: number): ControlPacket | undefined {
  return [...h.sent].reverse().find((p) => p.code === code);
}

export function receive(h: LcpHarness, code: number, id: number, data: Uint8Array, now = 0): void {
  h.lcp.fsm.handlePacket(now, encodeControlPacket({ code, identifier: id, data }));
}

export function receiveRequest(h: LcpHarness, id: number, options: PppOption[] | string, now = 0): void {
  receive(h, 1, id, typeof options === 'string' ? fromHex(options) : encodeOptions(options), now);
}

/** Acks our latest Configure-Request exactly. */
export function ackOurs(h: LcpHarness, now = 0): void {
  const req = lastSent(h, 1)!;
  receive(h, 2, req.identifier, req.data, now);
}

/** Replies to our latest request with a Nak or Reject of `options`. */
export function replyOurs(h: LcpHarness, code: 3 | 4, options: PppOption[], now = 0): void {
  const req = lastSent(h, 1)!;
  receive(h, code, req.identifier, encodeOptions(options), now);
}

/** pptpd's LCP Configure-Request (pptpd-peer.md): ACCM 0, MS-CHAPv2, magic, PFC, ACFC. */
export const PPTPD_LCP_REQUEST = '0206 00000000 0305 c22381 0506 1a2b3c4d 0702 0802';

/** Brings LCP to Opened with pptpd's request. */
export function openLcp(h: LcpHarness, now = 0): void {
  receiveRequest(h, 0x10, PPTPD_LCP_REQUEST, now);
  ackOurs(h, now);
}
