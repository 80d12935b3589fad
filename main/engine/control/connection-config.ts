/**
 * The client control connection's configuration with every default filled in and every number
 * checked (RFC 2637 field ranges), done once at construction.
 *
 * Owns: ResolvedControlConfig and resolveControlConfig. Must not: keep state or hold defaults of
 * its own (they are CONTROL_DEFAULTS in ./events.ts).
 */
import { CONTROL_DEFAULTS, type ControlConnectionConfig } from './events';

export interface ResolvedControlConfig {
  readonly hostName: string;
  readonly vendor: string;
  readonly firmwareRevision: number;
  readonly echoIdleMs: number;
  readonly echoReplyTimeoutMs: number;
  readonly replyTimeoutMs: number;
  readonly teardownTimeoutMs: number;
  readonly receiveWindow: number;
  readonly processingDelay: number;
  readonly phoneNumber: string;
  readonly subaddress: string;
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`ControlConnection: ${name} must be a positive number, got ${v}`);
  return v;
}

function u16Field(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min || v > 0xffff) {
    throw new RangeError(`ControlConnection: ${name} must be an integer in ${min}..65535, got ${v}`);
  }
  return v;
}

/** Throws RangeError for a value no server could be sent (a programming error, not wire input). */
export function resolveControlConfig(config: ControlConnectionConfig): ResolvedControlConfig {
  return {
    hostName: config.hostName ?? CONTROL_DEFAULTS.hostName,
    vendor: config.vendor ?? CONTROL_DEFAULTS.vendor,
    // RFC 2637 §2.1: Firmware Revision is 16 bits.
    firmwareRevision: u16Field('firmwareRevision', config.firmwareRevision ?? CONTROL_DEFAULTS.firmwareRevision, 0),
    echoIdleMs: positive('echoIdleMs', config.echoIdleMs ?? CONTROL_DEFAULTS.echoIdleMs),
    echoReplyTimeoutMs: positive('echoReplyTimeoutMs', config.echoReplyTimeoutMs ?? CONTROL_DEFAULTS.echoReplyTimeoutMs),
    replyTimeoutMs: positive('replyTimeoutMs', config.replyTimeoutMs ?? CONTROL_DEFAULTS.replyTimeoutMs),
    teardownTimeoutMs: positive('teardownTimeoutMs', config.teardownTimeoutMs ?? CONTROL_DEFAULTS.teardownTimeoutMs),
    // RFC 2637 §2.7: Packet Recv. Window Size and Packet Processing Delay are 16 bits.
    receiveWindow: u16Field('receiveWindow', config.receiveWindow ?? CONTROL_DEFAULTS.receiveWindow, 1),
    processingDelay: u16Field('processingDelay', config.processingDelay ?? CONTROL_DEFAULTS.processingDelay, 0),
    phoneNumber: config.phoneNumber ?? '',
    subaddress: config.subaddress ?? '',
  };
}
