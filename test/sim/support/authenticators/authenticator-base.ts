/**
 * Shared plumbing for the simulated authenticators: the transmit queue, the one-shot result,
 * silence and garbage injection, and the server-perspective MPPE key swap.
 */
import type { MppeStartKeys } from '../../../../main/engine/ppp/auth/auth-client';
import { encodeAuthPacket } from '../../../../main/engine/ppp/auth/auth-packet';
import type { AuthenticatorConfig, SimAuthResult, SimAuthenticator } from './types';

export abstract class AuthenticatorBase implements SimAuthenticator {
  abstract readonly protocol: number;
  private readonly tx: Uint8Array[] = [];
  private result: SimAuthResult | undefined;
  private resultTaken = false;
  /** Every packet received, for tests that look at what the client sent. */
  readonly received: Uint8Array[] = [];

  protected constructor(protected readonly config: AuthenticatorConfig) {}

  abstract start(now: number): void;
  protected abstract onPacket(now: number, info: Uint8Array): void;

  handlePacket(now: number, info: Uint8Array): void {
    this.received.push(info.slice());
    this.onPacket(now, info);
  }

  pollTransmit(): Uint8Array | undefined {
    return this.tx.shift();
  }

  pollResult(): SimAuthResult | undefined {
    if (this.result === undefined || this.resultTaken) return undefined;
    this.resultTaken = true;
    return this.result;
  }

  get decided(): boolean {
    return this.result !== undefined;
  }

  protected get serverName(): string {
    return this.config.serverName ?? 'pptpd';
  }

  /**
   * Queues a packet, preceded by garbage when that switch is on. `stale` is a well-formed
   * status packet with an identifier the client must not accept.
   */
  protected send(packet: Uint8Array, stale?: Uint8Array): void {
    if (this.config.hostile?.silent === true) return;
    if (this.config.hostile?.garbage === true) {
      this.tx.push(Uint8Array.of(packet[0]!, packet[1]!, 0)); // shorter than the header
      const lying = packet.slice();
      lying[2] = 0xff; // Length claims ~65000 octets that never came
      this.tx.push(lying);
      this.tx.push(Uint8Array.of(packet[0]!, packet[1]!, 0, 2)); // Length below the header size
      this.tx.push(encodeAuthPacket(0x7f, packet[1]!, Uint8Array.of(1, 2, 3))); // unknown code
      if (stale !== undefined) this.tx.push(stale);
    }
    this.tx.push(packet);
  }

  protected decide(result: SimAuthResult): void {
    if (this.result === undefined) this.result = result;
  }

  /** The message text of a failure, with the password put in when the hostile switch asks. */
  protected failureText(text: string): string {
    return this.config.hostile?.echoPassword === true ? `${text} (your password ${this.config.password} is wrong)` : text;
  }
}

/** Client-perspective keys turned around to the server's point of view. */
export function serverKeys(client: MppeStartKeys): { send: Uint8Array; receive: Uint8Array } {
  return { send: client.receive, receive: client.send };
}

/** Does the name the client sent (maybe DOMAIN\\user) name the configured user? */
export function nameMatches(sent: string, username: string): boolean {
  const i = sent.lastIndexOf('\\');
  return (i < 0 ? sent : sent.slice(i + 1)) === username;
}

export const text = new TextDecoder();
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
