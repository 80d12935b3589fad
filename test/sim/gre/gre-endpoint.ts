/**
 * A GreCall wrapped as a SimEndpoint for the harness, plus a traffic source: numbered frames
 * whose bytes are derived from their number, so the receiving side can check order, duplicates
 * and content. Test code only.
 */
import type { GreCallConfig } from '../../../main/engine/gre/gre-call';
import { GreCall } from '../../../main/engine/gre/gre-call';
import type { SimEndpoint } from '../harness/pair';
import { readU32, writeU32 } from '../../../main/engine/wire/bytes';

export function numberedFrame(index: number, size: number): Uint8Array {
  const f = new Uint8Array(Math.max(4, size));
  writeU32(f, 0, index);
  for (let j = 4; j < f.length; j++) f[j] = (index * 7 + j) & 0xff;
  return f;
}

export function frameIsIntact(f: Uint8Array): boolean {
  if (f.length < 4) return false;
  const index = readU32(f, 0);
  for (let j = 4; j < f.length; j++) if (f[j] !== ((index * 7 + j) & 0xff)) return false;
  return true;
}

export class GreEndpoint implements SimEndpoint {
  readonly call: GreCall;
  /** Frame numbers passed up, in the order PPP would see them. */
  readonly delivered: number[] = [];
  corruptFrames = 0;
  maxInFlight = 0;
  private nextIndex = 0;

  constructor(config: GreCallConfig) {
    this.call = new GreCall(config);
  }

  /** Sends the next numbered frame; returns the call's verdict. */
  send(now: number, size = 100): string {
    const verdict = this.call.sendPayload(now, numberedFrame(this.nextIndex++, size));
    this.track();
    return verdict;
  }

  get framesOffered(): number {
    return this.nextIndex;
  }

  nextTimeout(): number | undefined {
    return this.call.nextTimeout();
  }
  handleTimeout(now: number): void {
    this.call.handleTimeout(now);
  }
  handleDatagram(now: number, datagram: Uint8Array): void {
    this.call.handleGre(now, datagram);
  }
  pollDatagram(): Uint8Array | undefined {
    return this.call.pollTransmit();
  }
  afterInput(): void {
    for (let f = this.call.pollReceived(); f !== undefined; f = this.call.pollReceived()) {
      if (!frameIsIntact(f)) this.corruptFrames++;
      this.delivered.push(readU32(f, 0));
    }
    this.track();
  }

  private track(): void {
    this.maxInFlight = Math.max(this.maxInFlight, this.call.sendState.inFlight);
  }
}
