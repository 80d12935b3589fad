/**
 * PPP frames as PPTP carries them inside enhanced GRE (RFC 2637 §4.3): the raw PPP frame, with
 * no HDLC flags, no byte stuffing and no FCS (the ACCM negotiated in LCP and the one the server
 * sends in Set-Link-Info therefore change nothing here).
 *
 *   [0xFF 0x03]  Address and Control (RFC 1662 §3.1), absent when ACFC is in use (RFC 1661 §6.6)
 *   Protocol     2 octets, or 1 octet when PFC is in use (RFC 1661 §6.5)
 *   Information  the rest (+ padding, which is the protocol's business)
 *
 * Receive: both forms are always accepted (RFC 1661 §6.5/§6.6 say a peer that negotiated
 * compression must still accept uncompressed frames; accepting compressed ones we did not
 * negotiate is harmless and is what pppd does).
 * Send: compressed only as far as the peer allowed it (it put PFC/ACFC in its Configure-Request and
 * we Ack'd), and never for LCP (RFC 1661 §6.6: LCP packets always carry Address and Control; a
 * 0xC0xx protocol cannot be compressed to one octet anyway).
 */
import type { Result } from '../wire/result';
import { err, ok } from '../wire/result';
import type { WireError } from '../wire/wire-error';
import { wireError } from '../wire/wire-error';
import { PPP_PROTO_LCP } from './protocol';

export const PPP_ADDRESS = 0xff; // RFC 1662 §3.1: All-Stations address
export const PPP_CONTROL = 0x03; // RFC 1662 §3.1: Unnumbered Information

export interface PppFrame {
  readonly protocol: number;
  /** A view into the received bytes (no copy). */
  readonly info: Uint8Array;
}

/** What the peer allowed us to compress when sending. */
export interface FrameCompression {
  readonly pfc: boolean;
  readonly acfc: boolean;
}

export const NO_COMPRESSION: FrameCompression = { pfc: false, acfc: false };

export function decodeFrame(bytes: Uint8Array): Result<PppFrame, WireError> {
  let off = 0;
  if (bytes.length >= 2 && bytes[0] === PPP_ADDRESS && bytes[1] === PPP_CONTROL) off = 2;
  const first = bytes[off];
  if (first === undefined) return err(wireError('truncated', 'PPP frame has no Protocol field'));
  // RFC 1661 §2: protocol values have an odd least significant octet and an even most
  // significant one, so a first octet with its low bit set is a compressed 1-octet field.
  if ((first & 1) === 1) return ok({ protocol: first, info: bytes.subarray(off + 1) });
  const second = bytes[off + 1];
  if (second === undefined) return err(wireError('truncated', 'PPP frame ends inside its 2-octet Protocol field'));
  if ((second & 1) === 0) {
    return err(wireError('bad-field', `PPP Protocol 0x${((first << 8) | second).toString(16)} has an even low octet`));
  }
  return ok({ protocol: (first << 8) | second, info: bytes.subarray(off + 2) });
}

export function encodeFrame(protocol: number, info: Uint8Array, compression: FrameCompression): Uint8Array {
  const isLcp = protocol === PPP_PROTO_LCP;
  const withAddress = isLcp || !compression.acfc;
  const shortProtocol = !isLcp && compression.pfc && protocol < 0x100;
  const header = (withAddress ? 2 : 0) + (shortProtocol ? 1 : 2);
  const out = new Uint8Array(header + info.length);
  let off = 0;
  if (withAddress) {
    out[off++] = PPP_ADDRESS;
    out[off++] = PPP_CONTROL;
  }
  if (!shortProtocol) out[off++] = (protocol >>> 8) & 0xff;
  out[off++] = protocol & 0xff;
  out.set(info, off);
  return out;
}

/** Splits a Protocol field + Information (what MPPE decrypts to, RFC 3078 §3) into its parts. */
export function decodeProtocolAndInfo(bytes: Uint8Array): Result<PppFrame, WireError> {
  const first = bytes[0];
  if (first === undefined) return err(wireError('truncated', 'no Protocol field'));
  if ((first & 1) === 1) return ok({ protocol: first, info: bytes.subarray(1) });
  const second = bytes[1];
  if (second === undefined) return err(wireError('truncated', 'Protocol field cut short'));
  if ((second & 1) === 0) return err(wireError('bad-field', 'Protocol field has an even low octet'));
  return ok({ protocol: (first << 8) | second, info: bytes.subarray(2) });
}
