/**
 * The MPPE data-path cipher (RFC 3078), one encryptor and one decryptor per direction, each
 * owning its coherency count and key schedule (main/engine/crypto/mppe-keys.ts). Implements
 * main/engine/ppp/mppe-contract.ts. Behaviour follows RFC 3078 as Linux's ppp_mppe (the
 * module pptpd's peers run) interprets it, so the two stay in step:
 *
 * Encryptor (RFC 3078 §3, §7):
 * - The count starts so that the first packet carries 0; it increments per packet, wrapping at 4096.
 * - Stateless: every packet rekeys first and carries the A (flushed) bit.
 * - Stateful: the key changes on the "flag" packet (count low octet 0xFF), which carries A; after
 *   `handleResetRequest()` the next packet rekeys and carries A (RFC 3078 §8.2). Several Reset-
 *   Requests before that packet still cause one rekey (the peer cannot count them).
 * - The first stateful packet is not flagged A, although RFC 3078 §3.1 suggests it: a Linux
 *   receiver rekeys on every A packet and would lose step (ppp_mppe.c, mppe_init comment).
 *
 * Decryptor:
 * - Refuses, before touching any state: < 3 octets ('truncated'), D clear ('not-encrypted'),
 *   C set ('compressed': MPPC is never negotiated), A clear where required ('not-flushed').
 * - Stateless (RFC 3078 §8.1): rekeys once per count step, so lost packets are skipped over.
 *   The forward jump is bounded by `maxCoherencyJump` (default 2048 = half the 12-bit space, as
 *   Linux since 2015 commit "ppp: mppe: discard late packet in stateless mode"): a jump of 0
 *   (duplicate) or beyond the bound (late / reordered / absurd) is refused as 'stale' without
 *   rekeying, so one packet costs at most `maxCoherencyJump` rekeys -- until three in-order
 *   packets beyond the bound show the peer moved on after a long loss: then one resync.
 * - Stateful (RFC 3078 §8.2): a count other than last + 1 is a gap: 'coherency-gap', a CCP
 *   Reset-Request becomes pending (`takeResetRequest()` true once), and packets are dropped as
 *   'awaiting-flush' until one with A arrives; then the key advances once per missed flag packet
 *   and once more for the A packet itself, and decryption resumes.
 * - Output: protocol field + information with the protocol field always 2 octets (a
 *   PFC-compressed 1-octet protocol, RFC 1661 §6.5, is expanded as Linux does).
 *
 * MPPE has no integrity check: a wrong key yields garbage, not an error. Must not: allocate per
 * packet beyond the returned buffer (the in-place forms allocate nothing), parse PPP or CCP, or
 * keep plaintext.
 */
import { MppeKeySchedule } from '../crypto/mppe-keys';
import type { MppeKeyScheduleOptions } from '../crypto/mppe-keys';
import { PPP_PROTO_IP } from './protocol';
import { err, ok } from '../wire/result';
import type { Result } from '../wire/result';
import type {
  MppeDecryptError,
  MppeDecryptErrorCode,
  MppeDecryptor,
  MppeEncryptor,
  MppeParams,
} from './mppe-contract';
import {
  MPPE_COHERENCY_MASK,
  MPPE_COHERENCY_SPACE,
  MPPE_FLAG_COMPRESSED,
  MPPE_FLAG_ENCRYPTED,
  MPPE_FLAG_FLUSHED,
  MPPE_HEADER_LENGTH,
  coherencyDistance,
  isFlagPacket,
  writeMppeHeader,
} from './mppe-header';

/** Default bound on a stateless coherency jump: half the 12-bit space (see the module comment). */
export const DEFAULT_MAX_COHERENCY_JUMP = MPPE_COHERENCY_SPACE / 2;

/** The smallest packet decrypted: the header plus at least a 1-octet (PFC) protocol field. */
const MIN_PACKET_LENGTH = MPPE_HEADER_LENGTH + 1;

// Linux ppp_mppe.c mppe_init: the count starts at 4095 so the first packet carries 0.
const INITIAL_COUNT = MPPE_COHERENCY_SPACE - 1;

/** The RC4 and SHA-1 implementations (default: the data path's, mppe-keys.ts); for A/B runs. */
export type MppeCipherOptions = MppeKeyScheduleOptions;

export interface MppeDecryptorOptions extends MppeCipherOptions {
  /** Largest forward coherency jump accepted in stateless mode (1..2048; default 2048). */
  readonly maxCoherencyJump?: number;
}

function decryptError(code: MppeDecryptErrorCode, message: string): { ok: false; error: MppeDecryptError } {
  return err({ code, message });
}

/** The sending half: encrypts protocol field + information into an 0x00FD information field. */
export class MppeCipherEncryptor implements MppeEncryptor {
  private readonly keys: MppeKeySchedule;
  private readonly stateful: boolean;
  private count = INITIAL_COUNT;
  private flushPending = false;

  constructor(startKey: Uint8Array, params: MppeParams, options: MppeCipherOptions = {}) {
    this.keys = new MppeKeySchedule(startKey, params.bits, options);
    this.stateful = params.stateful;
  }

  /** The coherency count of the last packet sent (4095 before the first). */
  get coherencyCount(): number {
    return this.count;
  }

  encrypt(plain: Uint8Array): Uint8Array {
    const out = new Uint8Array(MPPE_HEADER_LENGTH + plain.length);
    this.encryptInto(plain, out, 0);
    return out;
  }

  /**
   * Writes header + ciphertext into `out` at `offset` (needs plain.length + 2 octets there), for a
   * link that builds the whole frame in one buffer. Returns the octets written.
   */
  encryptInto(plain: Uint8Array, out: Uint8Array, offset: number): number {
    const length = MPPE_HEADER_LENGTH + plain.length;
    if (offset < 0 || offset + length > out.length) throw new RangeError('MPPE output buffer too small');
    this.nextHeader(out, offset);
    this.keys.cipher.crypt(plain, 0, plain.length, out, offset + MPPE_HEADER_LENGTH);
    return length;
  }

  /**
   * In place: the plaintext (protocol field + information) is already at
   * `buf[offset + 2 .. offset + 2 + plainLength]`; writes the header at `offset` and encrypts the
   * plaintext where it lies. Lets the link build a whole frame in one buffer with no copy.
   */
  sealInPlace(buf: Uint8Array, offset: number, plainLength: number): number {
    const length = MPPE_HEADER_LENGTH + plainLength;
    if (offset < 0 || plainLength < 0 || offset + length > buf.length) throw new RangeError('MPPE range outside the buffer');
    this.nextHeader(buf, offset);
    const start = offset + MPPE_HEADER_LENGTH;
    this.keys.cipher.crypt(buf, start, plainLength, buf, start);
    return length;
  }

  /**
   * One packet's count and key step (RFC 3078 §3, §7): advances the coherency count, rekeys when
   * this packet must carry the flushed bit (every packet when stateless), writes the header.
   */
  private nextHeader(out: Uint8Array, offset: number): void {
    this.count = (this.count + 1) & MPPE_COHERENCY_MASK;
    let flags = MPPE_FLAG_ENCRYPTED;
    if (!this.stateful || isFlagPacket(this.count) || this.flushPending) {
      this.keys.rekey();
      flags |= MPPE_FLAG_FLUSHED;
      this.flushPending = false;
    }
    writeMppeHeader(out, offset, flags, this.count);
  }

  /** CCP Reset-Request received: the next packet rekeys and carries the flushed bit. */
  handleResetRequest(): void {
    this.flushPending = true;
  }
}

/** Consecutive in-order packets beyond the stateless bound that mean "the peer moved on", not "late". */
const RESYNC_RUN = 3;
/** Largest count step between those packets (a little loss between them is allowed). */
const RESYNC_STEP = 16;

/** The receiving half: decrypts 0x00FD information fields, tracking the peer's coherency count. */
export class MppeCipherDecryptor implements MppeDecryptor {
  private readonly keys: MppeKeySchedule;
  private readonly stateful: boolean;
  private readonly maxJump: number;
  /** Stateless: the last count accepted. Stateful: the last count accepted, or the first missing one. */
  private count = INITIAL_COUNT;
  private discarding = false;
  private resetRequestPending = false;
  /** Stateless resync: the count of the last packet refused as too far ahead, and how many such in a row. */
  private aheadCount = -1;
  private aheadRun = 0;

  constructor(startKey: Uint8Array, params: MppeParams, options: MppeDecryptorOptions = {}) {
    this.keys = new MppeKeySchedule(startKey, params.bits, options);
    this.stateful = params.stateful;
    const maxJump = options.maxCoherencyJump ?? DEFAULT_MAX_COHERENCY_JUMP;
    if (!Number.isInteger(maxJump) || maxJump < 1 || maxJump > DEFAULT_MAX_COHERENCY_JUMP) {
      throw new RangeError(`maxCoherencyJump must be an integer 1..${DEFAULT_MAX_COHERENCY_JUMP}`);
    }
    this.maxJump = maxJump;
  }

  /** Stateless: how often the receiver jumped forward past the bound (see syncStateless). */
  resyncs = 0;

  /** The coherency count the receive state is at (see `count`). */
  get coherencyCount(): number {
    return this.count;
  }

  /** Stateful mode: true while packets are dropped until a flushed one arrives (CCP may re-send its Reset-Request). */
  get awaitingFlush(): boolean {
    return this.discarding;
  }

  takeResetRequest(): boolean {
    const pending = this.resetRequestPending;
    this.resetRequestPending = false;
    return pending;
  }

  decrypt(packet: Uint8Array): Result<Uint8Array, MppeDecryptError> {
    const refused = this.accept(packet, 0, packet.length);
    if (refused !== undefined) return refused;
    return ok(this.decipher(packet));
  }

  /**
   * In place, the counterpart of `sealInPlace`: `buf[offset .. offset + length]` is the 0x00FD
   * information field (2-octet header, then ciphertext) and the ciphertext is decrypted where it
   * lies, so a packet costs no allocation. Returns where the plaintext (protocol field +
   * information, the protocol field as sent: 1 or 2 octets) starts, `offset + 2`; or -1 with
   * `lastError` set when refused (the same checks, state changes and errors as `decrypt`, and
   * then the buffer is left untouched).
   */
  openInPlace(buf: Uint8Array, offset: number, length: number): number {
    if (offset < 0 || length < 0 || offset + length > buf.length) throw new RangeError('MPPE range outside the buffer');
    const end = offset + length;
    const refused = this.accept(buf, offset, end);
    if (refused !== undefined) {
      this.lastError = refused.error;
      return -1;
    }
    this.lastError = undefined;
    const start = offset + MPPE_HEADER_LENGTH;
    this.keys.cipher.crypt(buf, start, end - start, buf, start);
    return start;
  }

  /**
   * The data path's decrypt: `packet[offset..]` (to its end) is the 0x00FD information field,
   * decrypted in place (`openInPlace`). Returns where the IP datagram starts in `packet` (it runs
   * to the end) when the inner protocol is IP (0x0021). Otherwise returns -1 with `lastError`
   * set (refused) or, for a decrypted packet of another protocol, `lastError` undefined and
   * `lastProtocol` set (-1: cut short inside the protocol field).
   */
  openIpInPlace(packet: Uint8Array, offset: number): number {
    const start = this.openInPlace(packet, offset, packet.length - offset);
    if (start < 0) return -1;
    let protocol = packet[start]!;
    let header = 1;
    // RFC 1661 §2: an odd first octet is a PFC-compressed (1-octet) protocol field.
    if ((protocol & 1) === 0) {
      if (packet.length - start < 2) {
        this.lastProtocol = -1;
        return -1;
      }
      protocol = (protocol << 8) | packet[start + 1]!;
      header = 2;
    }
    this.lastProtocol = protocol;
    return protocol === PPP_PROTO_IP ? start + header : -1;
  }

  /** Why the last openInPlace / openIpInPlace returned -1, when it refused the packet. */
  lastError: MppeDecryptError | undefined;
  /** The inner protocol of the last packet openIpInPlace decrypted (-1: cut short). */
  lastProtocol = 0;

  /**
   * The checks and coherency-count sync shared by the decrypts (the field is packet[offset..end]).
   * The checks and syncs yield only a code; the words are built at one call site (refuse), only
   * for a refused packet. Why (issue 12, measured): with a `${count}` template in each refusal branch,
   * TurboFan merges those number-to-string conversions into one and schedules it ahead of the
   * branches, so every accepted packet converted its count too; that reads V8's number-string
   * cache, which a full GC empties, so after each GC the receive path allocated a string per new
   * count (~100 KB over the next ~20k packets, 1.9 octets/packet in the bench).
   */
  private accept(packet: Uint8Array, offset: number, end: number): { ok: false; error: MppeDecryptError } | undefined {
    const length = end - offset;
    if (length < MIN_PACKET_LENGTH) return this.refuse('truncated', length, 0);
    const flags = packet[offset]!;
    const count = ((flags & 0x0f) << 8) | packet[offset + 1]!;
    const flushed = (flags & MPPE_FLAG_FLUSHED) !== 0;
    const before = this.count;
    let code: MppeDecryptErrorCode | undefined;
    if ((flags & MPPE_FLAG_ENCRYPTED) === 0) code = 'not-encrypted';
    else if ((flags & MPPE_FLAG_COMPRESSED) !== 0) code = 'compressed';
    else if (!flushed && (!this.stateful || isFlagPacket(count))) code = 'not-flushed';
    else code = this.stateful ? this.syncStateful(count, flushed) : this.syncStateless(count);
    // One call site for every refusal of a counted packet: see above.
    return code === undefined ? undefined : this.refuse(code, count, before);
  }

  /**
   * A refusal with its words (accept's only error path). `count` is the packet's count (for
   * 'truncated': its length); `before` the receive state's count before the sync looked at it.
   */
  private refuse(code: MppeDecryptErrorCode, count: number, before: number): { ok: false; error: MppeDecryptError } {
    switch (code) {
      case 'truncated':
        return decryptError(code, `MPPE packet of ${count} octets: needs a 2-octet header and data`);
      case 'not-encrypted':
        return decryptError(code, `MPPE packet ${count} without the encrypted (D) bit: refused`);
      case 'compressed':
        return decryptError(code, `MPPE packet ${count} is MPPC-compressed, which was not negotiated`);
      case 'not-flushed':
        return decryptError(
          code,
          this.stateful
            ? `stateful MPPE flag packet ${count} without the flushed (A) bit`
            : `stateless MPPE packet ${count} without the flushed (A) bit`,
        );
      case 'stale': {
        const jump = coherencyDistance(before, count);
        return decryptError(
          code,
          jump === 0
            ? `stateless MPPE packet ${count} repeats the last count`
            : `stateless MPPE packet ${count} is ${MPPE_COHERENCY_SPACE - jump} behind or ${jump} ahead of ${before} (bound ${this.maxJump})`,
        );
      }
      case 'coherency-gap':
        return decryptError(code, `stateful MPPE expected packet ${(before + 1) & MPPE_COHERENCY_MASK}, got ${count}: resetting`);
      case 'awaiting-flush':
        return decryptError(code, `stateful MPPE packet ${count} dropped until a flushed packet`);
    }
  }

  /**
   * RFC 3078 §8.1: one rekey per count step, within the bound. Beyond the bound a packet is
   * refused as stale -- but when RESYNC_RUN packets in a row each lie just ahead of the one
   * before (in order, at most RESYNC_STEP apart), they are not late packets: the peer really
   * moved on by more than the bound (a burst of loss, or a sender that dropped frames after
   * encrypting them). Then the state jumps to the peer's count once (at most 4095 rekeys), as a
   * lost run under 4096 packets allows; without this a stateless receiver would refuse
   * everything for the rest of the session. Late packets cannot fake such a run: the GRE
   * receiver below delivers in sequence order and drops anything behind what it delivered
   * (gre-receiver.ts), so three in-order packets far "ahead" are the peer's present, not its past.
   * Returns the refusal's code ('stale'), or undefined when accepted.
   */
  private syncStateless(count: number): MppeDecryptErrorCode | undefined {
    const jump = coherencyDistance(this.count, count);
    if (jump > this.maxJump) {
      const step = this.aheadCount < 0 ? 0 : coherencyDistance(this.aheadCount, count);
      this.aheadRun = step >= 1 && step <= RESYNC_STEP ? this.aheadRun + 1 : 1;
      this.aheadCount = count;
      if (this.aheadRun >= RESYNC_RUN) {
        for (let n = 0; n < jump; n++) this.keys.rekey();
        this.count = count;
        this.aheadRun = 0;
        this.aheadCount = -1;
        this.resyncs++;
        return undefined;
      }
    }
    if (jump === 0 || jump > this.maxJump) return 'stale';
    for (let n = 0; n < jump; n++) this.keys.rekey();
    this.count = count;
    this.aheadRun = 0;
    this.aheadCount = -1;
    return undefined;
  }

  /** RFC 3078 §8.2: in-order packets only; after a gap, wait for a flushed packet. The refusal's code, or undefined. */
  private syncStateful(count: number, flushed: boolean): MppeDecryptErrorCode | undefined {
    if (!this.discarding) {
      const expected = (this.count + 1) & MPPE_COHERENCY_MASK;
      if (count !== expected) {
        this.count = expected;
        this.discarding = true;
        this.resetRequestPending = true;
        return 'coherency-gap';
      }
      this.count = expected;
    } else {
      if (!flushed) return 'awaiting-flush';
      // The sender changed key on every flag packet (low octet 0xFF) we missed: one per 256-block crossed.
      while ((count & 0xf00) !== (this.count & 0xf00)) {
        this.keys.rekey();
        this.count = (this.count + 0x100) & MPPE_COHERENCY_MASK;
      }
      this.count = count;
      this.discarding = false;
    }
    if (flushed) this.keys.rekey();
    return undefined;
  }

  private decipher(packet: Uint8Array): Uint8Array {
    const body = packet.length - MPPE_HEADER_LENGTH;
    // One spare octet in front, for a PFC-compressed protocol field to be expanded into.
    const out = new Uint8Array(body + 1);
    this.keys.cipher.crypt(packet, MPPE_HEADER_LENGTH, body, out, 1);
    // RFC 1661 §2: protocol values are odd in their last octet and even in their first, so an
    // odd first octet is a PFC-compressed (1-octet) protocol field: expanded as Linux does.
    return (out[1]! & 1) !== 0 ? out : out.subarray(1);
  }
}

/** The encryptor for one direction (our send key, the negotiated strength and mode). */
export function createMppeEncryptor(startKey: Uint8Array, params: MppeParams): MppeEncryptor {
  return new MppeCipherEncryptor(startKey, params);
}

/** The decryptor for one direction (our receive key, the negotiated strength and mode). */
export function createMppeDecryptor(
  startKey: Uint8Array,
  params: MppeParams,
  options?: MppeDecryptorOptions,
): MppeDecryptor {
  return new MppeCipherDecryptor(startKey, params, options);
}
