/**
 * Test doubles for the PPP link tests: a trivial PAP-like client/server pair that "derives"
 * fixed MPPE start keys, and an XOR "cipher" that follows the MPPE contract (header with the
 * E bit and a coherency count; stateful gap detection raises a Reset-Request). They let the link
 * be tested apart from the real auth methods and RC4; whole-session sims use the real ones.
 */
import type { AuthMethod } from '../../../preload/vocabulary';
import type { AuthClient, AuthOutcome } from '../../../main/engine/ppp/auth/auth-client';
import { PPP_PROTO_PAP } from '../../../main/engine/ppp/auth/auth-client';
import type { MppeDecryptError, MppeDecryptor, MppeEncryptor, MppeParams } from '../../../main/engine/ppp/mppe-contract';
import type { Result } from '../../../main/engine/wire/result';
import { err, ok } from '../../../main/engine/wire/result';
import type { PeerAuthenticator } from '../support/ppp-peer';

export const CLIENT_SEND_KEY = new Uint8Array(16).fill(0x11);
export const CLIENT_RECEIVE_KEY = new Uint8Array(16).fill(0x22);

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Client: sends "user:password" in one PAP-shaped request; Ack (2) = success, Nak (3) = failure. */
export class FakeAuthClient implements AuthClient {
  readonly protocol = PPP_PROTO_PAP;
  started = false;
  private readonly tx: Uint8Array[] = [];
  private outcome: AuthOutcome | undefined;

  constructor(
    readonly method: AuthMethod,
    private readonly user: string,
    private readonly password: string,
    private readonly withKeys = true,
  ) {}

  start(): void {
    this.started = true;
    const body = enc.encode(`${this.user}:${this.password}`);
    const p = new Uint8Array(4 + body.length);
    p[0] = 1;
    p[1] = 7;
    p[3] = p.length;
    p.set(body, 4);
    this.tx.push(p);
  }

  handlePacket(_now: number, packet: Uint8Array): void {
    if (packet[0] === 2) {
      this.outcome = {
        kind: 'success',
        method: this.method,
        message: 'welcome',
        ...(this.withKeys ? { mppeKeys: { send: CLIENT_SEND_KEY, receive: CLIENT_RECEIVE_KEY } } : {}),
      };
    } else if (packet[0] === 3) {
      this.outcome = { kind: 'failure', failure: { reason: 'auth-failed', message: 'The server rejected the user name or password.' } };
    }
  }

  handleTimeout(): void {}
  nextTimeout(): number | undefined {
    return undefined;
  }
  pollTransmit(): Uint8Array | undefined {
    return this.tx.shift();
  }
  pollResult(): AuthOutcome | undefined {
    const o = this.outcome;
    this.outcome = undefined;
    return o;
  }
}

/** Server: accepts exactly `user:password`. Keys from the server's view (send = client receive). */
export class FakeAuthenticator implements PeerAuthenticator {
  readonly protocol = PPP_PROTO_PAP;
  private readonly tx: Uint8Array[] = [];
  private result: { ok: boolean; mppeKeys?: { send: Uint8Array; receive: Uint8Array } } | undefined;

  constructor(
    private readonly user: string,
    private readonly password: string,
  ) {}

  start(): void {}

  handlePacket(_now: number, info: Uint8Array): void {
    const good = dec.decode(info.subarray(4)) === `${this.user}:${this.password}`;
    this.tx.push(Uint8Array.of(good ? 2 : 3, info[1] ?? 0, 0, 4));
    this.result = good ? { ok: true, mppeKeys: { send: CLIENT_RECEIVE_KEY, receive: CLIENT_SEND_KEY } } : { ok: false };
  }

  pollTransmit(): Uint8Array | undefined {
    return this.tx.shift();
  }

  pollResult(): { ok: boolean; mppeKeys?: { send: Uint8Array; receive: Uint8Array } } | undefined {
    const r = this.result;
    this.result = undefined;
    return r;
  }
}

/** XOR with the first key octet; header 0x90|count-high, count-low (E and A bits set). */
export class XorEncryptor implements MppeEncryptor {
  count = 0;
  resets = 0;
  constructor(
    readonly key: Uint8Array,
    readonly params: MppeParams,
  ) {}
  encrypt(plain: Uint8Array): Uint8Array {
    const out = new Uint8Array(2 + plain.length);
    out[0] = 0x90 | ((this.count >> 8) & 0x0f);
    out[1] = this.count & 0xff;
    this.count = (this.count + 1) & 0xfff;
    for (let i = 0; i < plain.length; i++) out[2 + i] = plain[i]! ^ this.key[0]!;
    return out;
  }
  handleResetRequest(): void {
    this.resets++;
  }
}

export class XorDecryptor implements MppeDecryptor {
  expected = 0;
  private resetPending = false;
  constructor(
    readonly key: Uint8Array,
    readonly params: MppeParams,
  ) {}
  decrypt(packet: Uint8Array): Result<Uint8Array, MppeDecryptError> {
    if (packet.length < 3) return err({ code: 'truncated', message: 'short' });
    if ((packet[0]! & 0x10) === 0) return err({ code: 'not-encrypted', message: 'E clear' });
    const count = ((packet[0]! & 0x0f) << 8) | packet[1]!;
    if (this.params.stateful && count !== this.expected) {
      this.resetPending = true;
      this.expected = (count + 1) & 0xfff;
      return err({ code: 'coherency-gap', message: 'gap' });
    }
    this.expected = (count + 1) & 0xfff;
    const out = new Uint8Array(packet.length - 2);
    for (let i = 0; i < out.length; i++) out[i] = packet[2 + i]! ^ this.key[0]!;
    return ok(out);
  }
  takeResetRequest(): boolean {
    const r = this.resetPending;
    this.resetPending = false;
    return r;
  }
}
