/**
 * The link's data path: PPP framing of everything we send (PFC/ACFC once LCP agreed them,
 * RFC 1661 §6.5-6.6), and IP datagrams in and out, plain (protocol 0x0021) or through MPPE
 * (protocol 0x00FD, RFC 3078 §3) with the CCP Reset-Request on loss (RFC 3078 §8.2). It owns
 * the output queues, the MPPE cipher state and the data counters.
 *
 * It does not decide when IP may flow or whether encryption is expected: the caller says so on
 * each call (link.ts, from the layer order). It never negotiates anything, and never throws on
 * wire input.
 */
import type { MppeStartKeys } from './auth/auth-client';
import type { FrameCompression } from './frame';
import { NO_COMPRESSION, PPP_ADDRESS, PPP_CONTROL, decodeProtocolAndInfo, encodeFrame } from './frame';
import type { PppLinkConfig, PppLinkCounters } from './link-types';
import { createMppeDecryptor, createMppeEncryptor } from './mppe';
import type { MppeDecryptor, MppeEncryptor, MppeParams } from './mppe-contract';
import { PPP_PROTO_COMPRESSED, PPP_PROTO_IP } from './protocol';
import { copyBytes } from '../wire/bytes';
import { OffsetFrameFifo } from '../wire/fifo';

/** MPPE overhead inside the Information field: 2-octet header + 2-octet inner protocol (RFC 3078 §3). */
export const MPPE_OVERHEAD = 4;
/**
 * Stateful MPPE: while packets keep arriving unflushed after our Reset-Request, it is sent again
 * at most this often (the Reset-Request itself may be lost; pppd's ccp.c repeats it after its
 * 1 s RACKTIMEOUT while decompression errors continue).
 */
export const RESET_REQUEST_REPEAT_MS = 1_000;
/**
 * Octets left free in front of every IP frame the data path builds: room for the largest
 * enhanced GRE header (RFC 2637 §4.1: 16 with sequence and acknowledgement), so the GRE layer
 * can write its header in place instead of copying the frame. The FRAME_HEADROOM octets before
 * an IP frame handed out by pollFrame() (its byteOffset) are free, whether the frame owns its
 * whole ArrayBuffer or sits at the end of a frame-pool slot (wire/frame-pool.ts).
 */
export const FRAME_HEADROOM = 16;
/** Bound on queued outputs: a driver that never polls cannot make the link grow without limit. */
export const MAX_QUEUED_OUTPUTS = 4096;

/** What the link tells the data path about the moment: may IP flow, and must it be encrypted. */
export interface DataPathGate {
  /** IPCP is Opened (and, for sending, the link is in the Network phase). */
  readonly ipReady: boolean;
  /** MPPE is required by the policy or was negotiated: plain IP is refused both ways. */
  readonly encryptionExpected: boolean;
}

export type DataPathSeams = Pick<PppLinkConfig, 'createMppeEncryptor' | 'createMppeDecryptor' | 'framePool'>;

export class LinkDataPath {
  /** Frames to send, each as a buffer and the offset its frame starts at (after the headroom). */
  private readonly frames = new OffsetFrameFifo();
  /** Received IP datagrams, each as a buffer and where it starts in it; it runs to the buffer's end. */
  private readonly ipPackets = new OffsetFrameFifo();
  private compression: FrameCompression = NO_COMPRESSION;
  private encryptor: MppeEncryptor | undefined;
  private decryptor: MppeDecryptor | undefined;
  private lastResetRequestAt = Number.NEGATIVE_INFINITY;
  /** Where the frame encryptedIpFrame built last starts in its buffer. */
  private lastBuiltStart = FRAME_HEADROOM;

  /** `sendResetRequest` asks CCP for a Reset-Request; false when CCP cannot send one now. */
  constructor(
    private readonly counters: PppLinkCounters,
    private readonly seams: DataPathSeams,
    private readonly sendResetRequest: () => boolean,
  ) {}

  // ---- framing --------------------------------------------------------------------------------

  /** The header compression the peer agreed to receive (LCP up). */
  setCompression(compression: FrameCompression): void {
    this.compression = compression;
  }

  queueFrame(protocol: number, info: Uint8Array): void {
    if (this.frames.length >= MAX_QUEUED_OUTPUTS) return;
    this.frames.push(encodeFrame(protocol, info, this.compression), 0);
    this.counters.framesOut++;
  }

  pollFrame(): Uint8Array | undefined {
    return this.frames.shift();
  }

  /**
   * pollFrame without a view: the frame is `buffer[lastFrameStart..]` and the octets before it
   * are free headroom (FRAME_HEADROOM for IP frames, none for the others).
   */
  pollFrameAt(): Uint8Array | undefined {
    return this.frames.shiftAt();
  }

  /** Where the frame last returned by pollFrameAt starts in its buffer. */
  get lastFrameStart(): number {
    return this.frames.lastStart;
  }

  /**
   * The next received IP datagram. Ownership: a datagram that came through MPPE is a view of the
   * frame given to the link's handleFrame / handleFrameAt (decrypted in place there, see
   * receiveEncryptedAt), so the caller drains this before reusing that frame's buffer; others
   * are the link's own copies.
   */
  pollIpPacket(): Uint8Array | undefined {
    return this.ipPackets.shift();
  }

  /** pollIpPacket without a view: the datagram is `buffer[lastIpStart..]` (same ownership). */
  pollIpPacketAt(): Uint8Array | undefined {
    return this.ipPackets.shiftAt();
  }

  /** Where the datagram last returned by pollIpPacketAt starts in its buffer. */
  get lastIpStart(): number {
    return this.ipPackets.lastStart;
  }

  // ---- MPPE -----------------------------------------------------------------------------------

  startEncryption(keys: MppeStartKeys, params: MppeParams): void {
    const enc = this.seams.createMppeEncryptor ?? createMppeEncryptor;
    const dec = this.seams.createMppeDecryptor ?? createMppeDecryptor;
    this.encryptor = enc(keys.send, params);
    this.decryptor = dec(keys.receive, params);
  }

  stopEncryption(): void {
    this.encryptor = undefined;
    this.decryptor = undefined;
  }

  /** CCP received a Reset-Request: the next packet we send is flushed (RFC 3078 §3.2). */
  handleResetRequest(): void {
    this.encryptor?.handleResetRequest();
  }

  // ---- IP out ---------------------------------------------------------------------------------

  /** An IP packet from the TUN. Returns false when it was dropped (see counters). */
  sendIp(ip: Uint8Array, peerMru: number, gate: DataPathGate): boolean {
    return this.sendIpGated(ip, peerMru, gate.ipReady, gate.encryptionExpected);
  }

  /** sendIp with the gate as two flags (no object per packet). */
  sendIpGated(ip: Uint8Array, peerMru: number, ipReady: boolean, encryptionExpected: boolean): boolean {
    if (!ipReady) {
      this.counters.droppedNotReady++;
      return false;
    }
    if (this.encryptor) {
      if (ip.length + MPPE_OVERHEAD > peerMru) {
        this.counters.droppedTooBig++;
        return false;
      }
      if (this.frames.length >= MAX_QUEUED_OUTPUTS) return false;
      const buf = this.encryptedIpFrame(this.encryptor, ip);
      this.frames.push(buf, this.lastBuiltStart);
      this.counters.framesOut++;
    } else {
      if (encryptionExpected) {
        this.counters.droppedUnencrypted++;
        return false;
      }
      if (ip.length > peerMru) {
        this.counters.droppedTooBig++;
        return false;
      }
      this.queueFrame(PPP_PROTO_IP, ip);
    }
    this.counters.ipOut++;
    return true;
  }

  /**
   * One buffer for the whole frame: [GRE headroom][PPP header][MPPE header][0x0021 + IP], the IP
   * copied once and encrypted in place (RFC 3078 §3: MPPE covers the protocol field + data).
   * Returns the buffer, the frame running from the returned start to its end. With a frame
   * pool (the session's) the buffer is a pool slot and the frame sits at its end, the slot's
   * earlier octets being more headroom; without one it is a fresh buffer and the frame starts
   * at FRAME_HEADROOM.
   */
  private encryptedIpFrame(encryptor: MppeEncryptor, ip: Uint8Array): Uint8Array {
    const c = this.compression;
    // 0x00FD: ACFC drops FF 03, PFC shortens the protocol to one octet (RFC 1661 §6.5-6.6).
    const pppHeader = (c.acfc ? 0 : 2) + (c.pfc ? 1 : 2);
    const plainLength = 2 + ip.length;
    const total = FRAME_HEADROOM + pppHeader + 2 + plainLength;
    const pool = this.seams.framePool;
    const buf = pool ? pool.acquire(total) : new Uint8Array(total);
    const frameStart = buf.length - total + FRAME_HEADROOM;
    this.lastBuiltStart = frameStart;
    const mppeAt = frameStart + pppHeader;
    let off = frameStart;
    if (!c.acfc) {
      buf[off++] = PPP_ADDRESS;
      buf[off++] = PPP_CONTROL;
    }
    if (!c.pfc) buf[off++] = PPP_PROTO_COMPRESSED >> 8;
    buf[off] = PPP_PROTO_COMPRESSED & 0xff;
    buf[mppeAt + 2] = PPP_PROTO_IP >> 8;
    buf[mppeAt + 3] = PPP_PROTO_IP & 0xff;
    buf.set(ip, mppeAt + 4);
    if (encryptor.sealInPlace) {
      encryptor.sealInPlace(buf, mppeAt, plainLength);
    } else {
      buf.set(encryptor.encrypt(buf.subarray(mppeAt + 2)), mppeAt);
    }
    return buf;
  }

  // ---- IP in ----------------------------------------------------------------------------------

  /** The information field of a received protocol 0x0021 frame. */
  receivePlainIp(info: Uint8Array, gate: DataPathGate): void {
    if (!gate.ipReady) {
      this.counters.droppedNotReady++;
      return;
    }
    if (gate.encryptionExpected || this.decryptor) {
      this.counters.droppedUnencrypted++; // RFC 3078: once MPPE is on, plain datagrams are refused
      return;
    }
    this.deliverIp(info);
  }

  /** The information field of a received protocol 0x00FD frame. */
  receiveEncrypted(now: number, info: Uint8Array, ipReady: boolean): void {
    if (!this.decryptor) {
      this.counters.droppedNotReady++;
      return;
    }
    const result = this.decryptor.decrypt(info);
    const gap = this.decryptor.takeResetRequest();
    // RFC 3078 §8.2: after a gap we drop packets until a flushed one. If our Reset-Request was
    // lost, none ever comes: repeat it while unflushed packets keep arriving.
    const repeat = !result.ok && result.error.code === 'awaiting-flush' && now - this.lastResetRequestAt >= RESET_REQUEST_REPEAT_MS;
    if ((gap || repeat) && this.sendResetRequest()) {
      this.counters.resetRequestsSent++;
      this.lastResetRequestAt = now;
    }
    if (!result.ok) {
      this.counters.decryptErrors++;
      return;
    }
    const inner = decodeProtocolAndInfo(result.value);
    if (!inner.ok || inner.value.protocol !== PPP_PROTO_IP || !ipReady) {
      this.counters.droppedNotReady++;
      return;
    }
    this.deliverIp(inner.value.info);
  }

  /**
   * A received 0x00FD frame whose information field runs from `frame[offset]` to its end (the
   * link's fast path: no decode objects, no copies, no allocation). Same outcome and counters as
   * `receiveEncrypted`. Ownership: the frame's buffer is lent for the call and a little beyond:
   * its ciphertext is decrypted where it lies (it is the driver's receive buffer, or GRE's own
   * copy of a reordered packet) and the IP datagram queued is that buffer from the datagram's
   * start, so it must be polled (pollIpPacket / pollIpPacketAt) before the buffer is reused.
   * PptpSession moves it to its TUN queue within the same handleGre call; the driver writes it
   * to the TUN before the raw socket's next receive.
   */
  receiveEncryptedAt(now: number, frame: Uint8Array, offset: number, ipReady: boolean): void {
    const decryptor = this.decryptor;
    if (!decryptor?.openIpInPlace) {
      this.receiveEncrypted(now, frame.subarray(offset), ipReady);
      return;
    }
    const ipStart = decryptor.openIpInPlace(frame, offset);
    const error = ipStart < 0 ? decryptor.lastError : undefined;
    const gap = decryptor.takeResetRequest();
    const repeat = error?.code === 'awaiting-flush' && now - this.lastResetRequestAt >= RESET_REQUEST_REPEAT_MS;
    if ((gap || repeat) && this.sendResetRequest()) {
      this.counters.resetRequestsSent++;
      this.lastResetRequestAt = now;
    }
    if (error !== undefined) {
      this.counters.decryptErrors++;
      return;
    }
    if (ipStart < 0 || !ipReady) {
      this.counters.droppedNotReady++;
      return;
    }
    if (this.ipPackets.length >= MAX_QUEUED_OUTPUTS) return;
    this.ipPackets.push(frame, ipStart);
    this.counters.ipIn++;
  }

  private deliverIp(ip: Uint8Array): void {
    if (this.ipPackets.length >= MAX_QUEUED_OUTPUTS) return;
    this.ipPackets.push(copyBytes(ip), 0);
    this.counters.ipIn++;
  }
}
