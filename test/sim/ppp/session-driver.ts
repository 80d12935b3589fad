/**
 * Runs a PppLink (client) against a PppPeer (server) on the sim harness: PPP frames are the
 * datagrams, both directions through LossyLinks, time virtual. Builds the link with the fakes
 * by default (fakes.ts) or with the real auth methods and MPPE when asked.
 */
import { Pair } from '../harness';
import type { LinkImpairment, SimEndpoint } from '../harness';
import { PppLink } from '../../../main/engine/ppp/link';
import type { PppLinkConfig, PppLinkEvent } from '../../../main/engine/ppp/link';
import { seededRandom } from '../../../main/engine/random';
import { PppPeer } from '../support/ppp-peer';
import type { PppPeerConfig } from '../support/ppp-peer';
import { FakeAuthClient, FakeAuthenticator, XorDecryptor, XorEncryptor } from './fakes';

export class LinkEndpoint implements SimEndpoint {
  readonly events: PppLinkEvent[] = [];
  readonly ip: Uint8Array[] = [];
  /** Every frame the link sent, raw. */
  readonly wire: Uint8Array[] = [];
  constructor(readonly link: PppLink) {}
  nextTimeout(): number | undefined {
    return this.link.nextTimeout();
  }
  handleTimeout(now: number): void {
    this.link.handleTimeout(now);
  }
  handleDatagram(now: number, bytes: Uint8Array): void {
    this.link.handleFrame(now, bytes);
  }
  pollDatagram(): Uint8Array | undefined {
    const f = this.link.pollFrame();
    if (f) this.wire.push(f);
    return f;
  }
  afterInput(): void {
    for (let e = this.link.pollEvent(); e; e = this.link.pollEvent()) this.events.push(e);
    for (let p = this.link.pollIpPacket(); p; p = this.link.pollIpPacket()) this.ip.push(p);
  }
  event<T extends PppLinkEvent['type']>(type: T): Extract<PppLinkEvent, { type: T }> | undefined {
    return this.events.find((e) => e.type === type) as Extract<PppLinkEvent, { type: T }> | undefined;
  }
  get down(): Extract<PppLinkEvent, { type: 'link-down' }> | undefined {
    return this.event('link-down');
  }
}

export class PeerEndpoint implements SimEndpoint {
  readonly ip: Uint8Array[] = [];
  constructor(readonly peer: PppPeer) {}
  nextTimeout(): number | undefined {
    return this.peer.nextTimeout();
  }
  handleTimeout(now: number): void {
    this.peer.handleTimeout(now);
  }
  handleDatagram(now: number, bytes: Uint8Array): void {
    this.peer.handleFrame(now, bytes);
  }
  pollDatagram(): Uint8Array | undefined {
    return this.peer.pollFrame();
  }
  afterInput(): void {
    for (let p = this.peer.pollIpPacket(); p; p = this.peer.pollIpPacket()) this.ip.push(p);
  }
}

export interface SessionOptions {
  readonly link?: Partial<PppLinkConfig>;
  readonly peer?: Partial<PppPeerConfig>;
  readonly impair?: { readonly aToB?: LinkImpairment; readonly bToA?: LinkImpairment };
  /** Use the real auth methods and MPPE (the peer then needs a real authenticator). */
  readonly real?: boolean;
  readonly password?: string;
}

export interface Session {
  readonly pair: Pair;
  readonly client: LinkEndpoint;
  readonly server: PeerEndpoint;
  readonly link: PppLink;
  readonly peer: PppPeer;
  readonly encryptors: XorEncryptor[];
  readonly decryptors: XorDecryptor[];
}

export function startSession(options: SessionOptions = {}): Session {
  const encryptors: XorEncryptor[] = [];
  const decryptors: XorDecryptor[] = [];
  const fakes: Partial<PppLinkConfig> = options.real
    ? {}
    : {
        createAuthClient: (method) => new FakeAuthClient(method, 'alice', options.password ?? 's3cret-Pass'),
        createMppeEncryptor: (key, params) => {
          const e = new XorEncryptor(key, params);
          encryptors.push(e);
          return e;
        },
        createMppeDecryptor: (key, params) => {
          const d = new XorDecryptor(key, params);
          decryptors.push(d);
          return d;
        },
      };
  const link = new PppLink({
    credentials: { username: 'alice', password: options.password ?? 's3cret-Pass' },
    allowedAuth: ['mschapv2'],
    mppe: { mppe: 'require-128', allowStateful: false },
    random: seededRandom(1234),
    ...fakes,
    ...options.link,
  });
  const peer = new PppPeer({
    random: seededRandom(99),
    ...(options.real
      ? {}
      : {
          authenticator: new FakeAuthenticator('alice', 's3cret-Pass'),
          createMppeEncryptor: (key, params) => new XorEncryptor(key, params),
          createMppeDecryptor: (key, params) => new XorDecryptor(key, params),
        }),
    ...options.peer,
  });
  const client = new LinkEndpoint(link);
  const server = new PeerEndpoint(peer);
  const pair = new Pair(client, server, { datagrams: { aToB: { delayMs: 5, ...options.impair?.aToB }, bToA: { delayMs: 5, ...options.impair?.bToA } } });
  link.start(0);
  peer.start(0);
  client.afterInput();
  pair.flush();
  return { pair, client, server, link, peer, encryptors, decryptors };
}

/** Drives until IPCP is up on the client (true) or the link is down / limit reached (false). */
export function driveToIpcpUp(s: Session, limitMs = 60_000): boolean {
  s.pair.driveUntil(() => s.client.event('ipcp-up') !== undefined || s.client.down !== undefined, limitMs);
  return s.client.event('ipcp-up') !== undefined;
}

/** Drives until the link reports link-down or the limit. */
export function driveToDown(s: Session, limitMs = 120_000): Extract<PppLinkEvent, { type: 'link-down' }> | undefined {
  s.pair.driveUntil(() => s.client.down !== undefined, limitMs);
  return s.client.down;
}

/** A minimal IPv4 packet (header only + payload) for data-path tests; checksums not needed. */
export function ipPacket(tag: number, length = 60): Uint8Array {
  const p = new Uint8Array(length);
  p[0] = 0x45;
  p[2] = length >> 8;
  p[3] = length & 0xff;
  p[9] = 17;
  p.fill(tag, 20);
  return p;
}
