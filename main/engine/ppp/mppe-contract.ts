/**
 * The contract between the MPPE data-path cipher (main/engine/ppp/mppe.ts) and its users (the
 * PPP link and CCP). RFC 3078 (MPPE) and RFC 3079 (key derivation).
 *
 * - The link calls `encrypt` with a PPP frame's protocol field + information (what MPPE covers,
 *   RFC 3078 §3) and sends the result in protocol 0x00FD.
 * - The link calls `decrypt` with the information field of a received 0x00FD packet. In stateful
 *   mode a coherency-count gap makes the decryptor ask for a CCP Reset-Request
 *   (`takeResetRequest()` returns true once), and it drops packets until one arrives with the
 *   flushed bit (A) set (RFC 3078 §3.2, §3.3).
 * - When CCP receives a Reset-Request, the link calls `encryptor.handleResetRequest()`: the next
 *   packet is sent with the flushed bit and a fresh key state.
 */
import type { MppeKeyBits } from '../../../preload/vocabulary';
import type { Result } from '../wire/result';

export interface MppeParams {
  /** Key length (RFC 3078 §2 / RFC 3079 §3), the shared vocabulary's MppeKeyBits. */
  readonly bits: MppeKeyBits;
  /** false = stateless ("historyless", the H bit), rekey every packet; true = stateful, rekey every 256. */
  readonly stateful: boolean;
}

export type MppeDecryptErrorCode =
  | 'truncated' // shorter than the 2-octet MPPE header
  | 'not-encrypted' // E bit clear: MPPC-only / plaintext inside 0x00FD, refused
  | 'compressed' // C bit set: MPPC, which we did not negotiate
  | 'awaiting-flush' // stateful: dropped while waiting for a packet with the flushed bit after loss
  | 'coherency-gap' // stateful: loss detected (a Reset-Request is now pending)
  | 'stale' // a coherency count we cannot accept (replayed / too old)
  | 'not-flushed'; // A bit clear where RFC 3078 §3 requires it (stateless: every packet; stateful: count low octet 0xFF)

export interface MppeDecryptError {
  readonly code: MppeDecryptErrorCode;
  readonly message: string;
}

export interface MppeEncryptor {
  /** `plain` = PPP protocol field + information. Returns the 0x00FD information field. */
  encrypt(plain: Uint8Array): Uint8Array;
  /**
   * Optional in-place form: the plaintext is at `buf[offset + 2 ..]` (`plainLength` octets); the
   * 2-octet header goes at `offset` and the plaintext is encrypted where it lies. Returns the
   * octets of the information field (plainLength + 2). The data path uses it when present.
   */
  sealInPlace?(buf: Uint8Array, offset: number, plainLength: number): number;
  handleResetRequest(): void;
}

export interface MppeDecryptor {
  /** `packet` = the 0x00FD information field. Returns protocol field + information. */
  decrypt(packet: Uint8Array): Result<Uint8Array, MppeDecryptError>;
  /**
   * Optional in-place form for the data path (see MppeCipherDecryptor.openIpInPlace): the
   * information field at `packet[offset..]` is decrypted where it lies; returns where the IP
   * datagram starts in `packet` (it runs to the end), or -1 with `lastError` (refused) or
   * `lastProtocol` (another inner protocol) set.
   */
  openIpInPlace?(packet: Uint8Array, offset: number): number;
  readonly lastError?: MppeDecryptError | undefined;
  readonly lastProtocol?: number;
  /** True once when a CCP Reset-Request should be sent (stateful mode, after a gap). */
  takeResetRequest(): boolean;
}
