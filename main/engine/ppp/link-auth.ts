/**
 * The link's Authenticate phase runner (RFC 1661 §3.5): creates the method LCP agreed on,
 * starts it, hands it its packets and timeouts until it decides, and gives out its packets and,
 * once, its outcome. It does not judge the outcome or decide what runs next (link.ts and
 * layer-order.ts do), and it knows no method's protocol (auth/ does).
 */
import type { AuthClient, AuthOutcome } from './auth/auth-client';
import type { AuthMethod } from '../../../preload/vocabulary';
import { createAuthClient } from './auth/index';
import type { PppLinkConfig } from './link-types';
import type { Refusal } from './refusal';

export type LinkAuthConfig = Pick<PppLinkConfig, 'credentials' | 'random' | 'eapTypes' | 'createAuthClient'>;

export class LinkAuthentication {
  private client: AuthClient | undefined;
  private decided = false;

  constructor(private readonly config: LinkAuthConfig) {}

  /** The PPP protocol the method's packets travel in (PAP, CHAP or EAP), once begun. */
  get protocol(): number | undefined {
    return this.client?.protocol;
  }

  /** What the running method refused of the server's requests (e.g. an EAP type), if anything. */
  get refusal(): Refusal | undefined {
    return this.running ? this.client!.refusal : undefined;
  }

  /** Begun and not yet decided. */
  get running(): boolean {
    return this.client !== undefined && !this.decided;
  }

  begin(now: number, method: AuthMethod): void {
    const factory = this.config.createAuthClient ?? createAuthClient;
    this.client = factory(method, {
      credentials: this.config.credentials,
      random: this.config.random,
      ...(this.config.eapTypes ? { eapTypes: this.config.eapTypes } : {}),
    });
    this.decided = false;
    this.client.start(now);
  }

  /** One received packet of `protocol`; the caller drops it (and counts) when not running. */
  handlePacket(now: number, info: Uint8Array): void {
    if (this.running) this.client!.handlePacket(now, info);
  }

  handleTimeout(now: number): void {
    if (this.running) this.client!.handleTimeout(now);
  }

  nextTimeout(): number | undefined {
    return this.running ? this.client!.nextTimeout() : undefined;
  }

  /**
   * Gives every packet the method queued to `transmit` (in its protocol), then returns the
   * outcome once it is decided; from then on the method is no longer running.
   */
  drain(transmit: (protocol: number, packet: Uint8Array) => void): AuthOutcome | undefined {
    const client = this.client;
    if (!client || this.decided) return undefined;
    for (let p = client.pollTransmit(); p; p = client.pollTransmit()) transmit(client.protocol, p);
    const outcome = client.pollResult();
    if (outcome) this.decided = true;
    return outcome;
  }
}
