/**
 * The link's layer reports (link-types.ts: 'layer' started/abandoned, *-up, failed) on scripted
 * exchanges with a minimal server: the order the session's timeline is built from.
 */
import { describe, expect, it } from 'vitest';
import type { AuthClient, AuthOutcome } from '../../../../main/engine/ppp/auth/auth-client';
import type { AuthMethod } from '../../../../preload/vocabulary';
import { PPP_PROTO_CHAP } from '../../../../main/engine/ppp/auth/auth-client';
import type { MppePolicy } from '../../../../main/engine/ppp/ccp/mppe-option';
import { isMppeRequired } from '../../../../main/engine/ppp/ccp/mppe-option';
import { NO_COMPRESSION, decodeFrame, encodeFrame } from '../../../../main/engine/ppp/frame';
import { PppLink } from '../../../../main/engine/ppp/link';
import type { PppLinkEvent } from '../../../../main/engine/ppp/link';
import type { PppOption } from '../../../../main/engine/ppp/packet';
import { decodeControlPacket, decodeOptions, encodeControlPacket, encodeOptions, optionU32 } from '../../../../main/engine/ppp/packet';
import { PPP_PROTO_CCP, PPP_PROTO_IPCP, PPP_PROTO_LCP } from '../../../../main/engine/ppp/protocol';
import { seededRandom } from '../../../../main/engine/random';

const LCP_AUTH_MSCHAPV2: PppOption = { type: 3, data: Uint8Array.of(0xc2, 0x23, 0x81) }; // RFC 2759 §2
const LCP_MAGIC: PppOption = optionU32(5, 0x5eed5eed); // RFC 1661 §6.4
const IPCP_ADDRESS = 3; // RFC 1332 §3.3
const SERVER_IP = 0x0a000001;
const CLIENT_IP = 0x0a000002;
const MPPE_128_STATELESS: PppOption = optionU32(18, 0x01000040); // RFC 3078 §2: H + S

/** An auth method that succeeds as soon as it starts, with or without MPPE start keys. */
function instantAuth(method: AuthMethod, withKeys: boolean): AuthClient {
  let outcome: AuthOutcome | undefined = undefined;
  return {
    method,
    protocol: PPP_PROTO_CHAP,
    start: () => {
      outcome = {
        kind: 'success',
        method,
        ...(withKeys ? { mppeKeys: { send: new Uint8Array(16).fill(1), receive: new Uint8Array(16).fill(2) } } : {}),
      };
    },
    handlePacket: () => {},
    handleTimeout: () => {},
    nextTimeout: () => undefined,
    pollTransmit: () => undefined,
    pollResult: () => {
      const o = outcome;
      outcome = undefined;
      return o;
    },
  };
}

/** "MPPE required, 128-bit" in whichever spelling mppe-option.ts uses. */
const REQUIRED = (['require-128', 'required-128'] as const)
  .map((m) => m as MppePolicy['mppe'])
  .find((m) => isMppeRequired({ mppe: m, allowStateful: false }))!;

type CcpAnswer = 'ack' | 'protocol-reject' | 'silent';

interface Script {
  readonly mppe: MppePolicy['mppe'];
  /** The server asks for MS-CHAPv2 in LCP (else no authentication). */
  readonly auth: boolean;
  /** The method yields MPPE keys. */
  readonly keys: boolean;
  readonly ccp: CcpAnswer;
}

/**
 * Runs the script to quiescence: the server Acks our LCP request, sends its own (Auth-Protocol
 * if asked, Magic-Number), answers CCP as told, and walks IPCP to 10.0.0.2 (Reject DNS/WINS,
 * Nak the address, Ack). Returns the link's events.
 */
function run(script: Script): PppLinkEvent[] {
  const link = new PppLink({
    credentials: { username: 'alice', password: 'pw' },
    allowedAuth: ['mschapv2'],
    mppe: { mppe: script.mppe, allowStateful: false } as MppePolicy,
    random: seededRandom(3),
    lcpEcho: { mode: 'off' },
    requestWins: false,
    createAuthClient: (method) => instantAuth(method, script.keys),
  });
  const now = 10;
  let serverId = 100;
  const send = (protocol: number, code: number, identifier: number, data: Uint8Array) =>
    link.handleFrame(now, encodeFrame(protocol, encodeControlPacket({ code, identifier, data }), NO_COMPRESSION));
  const sentServerRequest = new Set<number>();
  const serverRequest = (protocol: number, options: PppOption[]) => {
    if (sentServerRequest.has(protocol)) return;
    sentServerRequest.add(protocol);
    send(protocol, 1, serverId++, encodeOptions(options));
  };

  link.start(now);
  for (let rounds = 0; rounds < 20; rounds++) {
    const frames: Uint8Array[] = [];
    for (let f = link.pollFrame(); f; f = link.pollFrame()) frames.push(f);
    if (frames.length === 0) break;
    for (const bytes of frames) {
      const frame = decodeFrame(bytes);
      if (!frame.ok) continue;
      const packet = decodeControlPacket(frame.value.info);
      if (!packet.ok || packet.value.code !== 1) continue; // only Configure-Requests need answers
      const { identifier, data } = packet.value;
      if (frame.value.protocol === PPP_PROTO_LCP) {
        send(PPP_PROTO_LCP, 2, identifier, data);
        serverRequest(PPP_PROTO_LCP, script.auth ? [LCP_AUTH_MSCHAPV2, LCP_MAGIC] : [LCP_MAGIC]);
      } else if (frame.value.protocol === PPP_PROTO_CCP) {
        if (script.ccp === 'protocol-reject') {
          const rejected = new Uint8Array(2 + frame.value.info.length);
          rejected.set([PPP_PROTO_CCP >> 8, PPP_PROTO_CCP & 0xff]);
          rejected.set(frame.value.info, 2);
          send(PPP_PROTO_LCP, 8, serverId++, rejected); // RFC 1661 §5.7 Protocol-Reject
        } else if (script.ccp === 'ack') {
          const wanted = encodeOptions([MPPE_128_STATELESS]);
          const exact = data.length === wanted.length && data.every((b, i) => b === wanted[i]);
          send(PPP_PROTO_CCP, exact ? 2 : 3, identifier, wanted); // Ack, or Nak down to 128-bit stateless
          serverRequest(PPP_PROTO_CCP, [MPPE_128_STATELESS]);
        }
      } else if (frame.value.protocol === PPP_PROTO_IPCP) {
        const options = decodeOptions(data);
        const list = options.ok ? options.value : [];
        const others = list.filter((o) => o.type !== IPCP_ADDRESS);
        const address = list.find((o) => o.type === IPCP_ADDRESS);
        if (others.length > 0) send(PPP_PROTO_IPCP, 4, identifier, encodeOptions(others));
        else if (address && address.data.some((b) => b !== 0)) send(PPP_PROTO_IPCP, 2, identifier, data);
        else send(PPP_PROTO_IPCP, 3, identifier, encodeOptions([optionU32(IPCP_ADDRESS, CLIENT_IP)]));
        serverRequest(PPP_PROTO_IPCP, [optionU32(IPCP_ADDRESS, SERVER_IP)]);
      }
    }
  }
  const events: PppLinkEvent[] = [];
  for (let e = link.pollEvent(); e; e = link.pollEvent()) events.push(e);
  return events;
}

/** Layer reports and phases as short strings: 'lcp:started', 'lcp-up', 'failed:encryption-refused', ... */
function reports(events: readonly PppLinkEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'layer') return `${e.layer}:${e.status}`;
    if (e.type === 'phase') return `phase:${e.phase}`;
    if (e.type === 'failed' || e.type === 'link-down') return `${e.type}:${e.failure.reason}`;
    return e.type;
  });
}

describe('PppLink layer reports', () => {
  it('MPPE off, no authentication: LCP, then IPCP alone', () => {
    const events = run({ mppe: 'none', auth: false, keys: false, ccp: 'silent' });
    expect(reports(events)).toEqual(['phase:establish', 'lcp:started', 'lcp-up', 'phase:network', 'ipcp:started', 'ipcp-up']);
    expect(events.at(-1)).toMatchObject({ type: 'ipcp-up', localIp: '10.0.0.2', remoteIp: '10.0.0.1' });
  });

  it('MPPE required with keys: CCP first, IPCP only once CCP is Opened', () => {
    const events = reports(run({ mppe: REQUIRED, auth: true, keys: true, ccp: 'ack' }));
    expect(events).toEqual([
      'phase:establish',
      'lcp:started',
      'lcp-up',
      'phase:authenticate',
      'auth:started',
      'auth-success',
      'phase:network',
      'ccp:started',
      'ccp-up',
      'ipcp:started',
      'ipcp-up',
    ]);
  });

  it('MPPE required but the method yields no keys: the CCP step starts and fails at once', () => {
    const events = run({ mppe: REQUIRED, auth: true, keys: false, ccp: 'ack' });
    expect(reports(events).slice(0, 8)).toEqual([
      'phase:establish',
      'lcp:started',
      'lcp-up',
      'phase:authenticate',
      'auth:started',
      'auth-success',
      'ccp:started',
      'failed:encryption-refused',
    ]);
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ failure: { detail: { layer: 'CCP', auth: 'mschapv2' } } });
  });

  it('MPPE optional with keys: CCP beside IPCP; a Protocol-Rejected CCP is reported abandoned just before ipcp-up', () => {
    const events = reports(run({ mppe: 'optional', auth: true, keys: true, ccp: 'protocol-reject' }));
    expect(events).toEqual([
      'phase:establish',
      'lcp:started',
      'lcp-up',
      'phase:authenticate',
      'auth:started',
      'auth-success',
      'phase:network',
      'ccp:started',
      'ipcp:started',
      'ccp:abandoned',
      'ipcp-up',
    ]);
  });

  it('MPPE optional without keys: no CCP step at all', () => {
    const events = reports(run({ mppe: 'optional', auth: true, keys: false, ccp: 'ack' }));
    expect(events).toEqual([
      'phase:establish',
      'lcp:started',
      'lcp-up',
      'phase:authenticate',
      'auth:started',
      'auth-success',
      'phase:network',
      'ipcp:started',
      'ipcp-up',
    ]);
  });

  it('MPPE optional with keys and a willing server: CCP and IPCP both start at once and both come up', () => {
    const events = reports(run({ mppe: 'optional', auth: true, keys: true, ccp: 'ack' }));
    expect(events.slice(0, 9)).toEqual([
      'phase:establish',
      'lcp:started',
      'lcp-up',
      'phase:authenticate',
      'auth:started',
      'auth-success',
      'phase:network',
      'ccp:started',
      'ipcp:started',
    ]);
    expect([...events.slice(9)].sort()).toEqual(['ccp-up', 'ipcp-up']);
  });

  it('MPPE off: no CCP step even when the method yields keys', () => {
    const events = reports(run({ mppe: 'none', auth: true, keys: true, ccp: 'ack' }));
    expect(events.slice(6)).toEqual(['phase:network', 'ipcp:started', 'ipcp-up']);
  });
});
