import { describe, expect, it } from 'vitest';
import { ControlFramer, type FramerOutput } from '../../../../main/engine/control/framer';
import { encodeControlMessage } from '../../../../main/engine/control/encode';
import { concatBytes, fromHex, writeU16 } from '../../../../main/engine/wire/bytes';
import type { ControlMessage } from '../../../../main/engine/control/messages';
import { ALL_SAMPLES, SAMPLES } from './samples';

const STREAM = concatBytes(ALL_SAMPLES.map(encodeControlMessage));

function messages(out: readonly FramerOutput[]): ControlMessage[] {
  return out.flatMap((o) => (o.ok ? [o.value] : []));
}

function errors(out: readonly FramerOutput[]): string[] {
  return out.flatMap((o) => (o.ok ? [] : [o.error.code]));
}

function feedInPieces(f: ControlFramer, bytes: Uint8Array, cuts: readonly number[]): FramerOutput[] {
  const out: FramerOutput[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(...f.push(bytes.subarray(prev, c)));
    prev = c;
  }
  return out;
}

describe('ControlFramer', () => {
  it('yields every message of a coalesced stream in order', () => {
    const f = new ControlFramer();
    const out = f.push(STREAM);
    expect(messages(out)).toEqual(ALL_SAMPLES);
    expect(errors(out)).toEqual([]);
    expect(f.buffered).toBe(0);
  });

  it('yields the same messages whichever single octet offset the stream is split at', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const f = new ControlFramer();
      const out = feedInPieces(f, STREAM, [cut]);
      expect(messages(out), `cut at ${cut}`).toEqual(ALL_SAMPLES);
      expect(errors(out)).toEqual([]);
    }
  });

  it('splits every message at every pair of offsets inside it', () => {
    for (const m of ALL_SAMPLES) {
      const bytes = encodeControlMessage(m);
      for (let a = 1; a < bytes.length; a += 3) {
        for (let b = a; b < bytes.length; b += 7) {
          const f = new ControlFramer();
          expect(messages(feedInPieces(f, bytes, [a, b])), `${m.kind} ${a}/${b}`).toEqual([m]);
        }
      }
    }
  });

  it('copes with one octet at a time', () => {
    const f = new ControlFramer();
    const out: FramerOutput[] = [];
    for (const byte of STREAM) out.push(...f.push(new Uint8Array([byte])));
    expect(messages(out)).toEqual(ALL_SAMPLES);
  });

  it('skips a garbage prefix with one bad-magic error and resynchronises', () => {
    const garbage = new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n');
    const f = new ControlFramer();
    const out = f.push(concatBytes([garbage, STREAM]));
    expect(errors(out)).toEqual(['bad-magic']);
    expect(messages(out)).toEqual(ALL_SAMPLES);
  });

  it('resynchronises on garbage between messages, split at every offset', () => {
    const a = encodeControlMessage(SAMPLES.EchoRequest);
    const b = encodeControlMessage(SAMPLES.SetLinkInfo);
    const stream = concatBytes([a, fromHex('00 01 02 03 04 05 06 07 08 09 0a 1a 2b 3c'), b]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const f = new ControlFramer();
      const out = feedInPieces(f, stream, [cut]);
      expect(messages(out), `cut ${cut}`).toEqual([SAMPLES.EchoRequest, SAMPLES.SetLinkInfo]);
      expect(errors(out), `cut ${cut}`).toEqual(['bad-magic']);
    }
  });

  it('does not mistake a cookie inside garbage with an impossible length for a header', () => {
    // cookie at offset 4 of a fake header whose length field is 3
    const fake = fromHex('0003 0001 1a2b3c4d 0005 0000');
    const f = new ControlFramer();
    const out = f.push(concatBytes([fromHex('ffff'), fake, encodeControlMessage(SAMPLES.EchoReply)]));
    expect(messages(out)).toEqual([SAMPLES.EchoReply]);
    expect(errors(out)).toEqual(['bad-magic']);
  });

  it('reports a length field below the header size and resynchronises', () => {
    const bad = encodeControlMessage(SAMPLES.EchoRequest).slice();
    writeU16(bad, 0, 4);
    const f = new ControlFramer();
    const out = f.push(concatBytes([bad, encodeControlMessage(SAMPLES.CallClearRequest)]));
    expect(errors(out)).toEqual(['bad-length']);
    expect(messages(out)).toEqual([SAMPLES.CallClearRequest]);
  });

  it('consumes a message whose length is wrong for its type and stays in step', () => {
    const sli = encodeControlMessage(SAMPLES.SetLinkInfo);
    const longer = concatBytes([sli, new Uint8Array(4)]);
    writeU16(longer, 0, 28);
    const f = new ControlFramer();
    const out = f.push(concatBytes([longer, encodeControlMessage(SAMPLES.EchoRequest)]));
    expect(errors(out)).toEqual(['bad-length']);
    expect(messages(out)).toEqual([SAMPLES.EchoRequest]);
  });

  it('skips an unknown control type by its length', () => {
    const unknown = fromHex('0014 0001 1a2b3c4d 0063 0000 0102030405060708');
    const f = new ControlFramer();
    const out = f.push(concatBytes([unknown, encodeControlMessage(SAMPLES.EchoRequest)]));
    expect(errors(out)).toEqual(['unknown-type']);
    expect(messages(out)).toEqual([SAMPLES.EchoRequest]);
  });

  it('refuses an oversize length without buffering it', () => {
    const huge = fromHex('ffff 0001 1a2b3c4d 0005 0000');
    const f = new ControlFramer();
    const out = f.push(concatBytes([huge, new Uint8Array(5000), encodeControlMessage(SAMPLES.EchoRequest)]));
    expect(errors(out)).toEqual(['too-large']);
    expect(messages(out)).toEqual([SAMPLES.EchoRequest]);
    expect(f.buffered).toBe(0);
  });

  it('never holds more than its capacity, however much garbage arrives', () => {
    const f = new ControlFramer({ maxMessageLength: 300 });
    expect(f.capacity).toBe(300);
    const garbage = new Uint8Array(100_000).fill(0x5a);
    let maxHeld = 0;
    for (let i = 0; i < 10; i++) {
      f.push(garbage);
      maxHeld = Math.max(maxHeld, f.buffered);
    }
    expect(maxHeld).toBeLessThanOrEqual(7);
    expect(messages(f.push(encodeControlMessage(SAMPLES.EchoRequest)))).toEqual([SAMPLES.EchoRequest]);
  });

  it('clamps its capacity to the longest RFC message', () => {
    expect(new ControlFramer({ maxMessageLength: 10 }).capacity).toBe(220);
    const f = new ControlFramer({ maxMessageLength: 10 });
    expect(messages(f.push(encodeControlMessage(SAMPLES.IncomingCallRequest)))).toEqual([SAMPLES.IncomingCallRequest]);
  });

  it('holds a partial message until the rest arrives and reports truncation at end of stream', () => {
    const bytes = encodeControlMessage(SAMPLES.OutgoingCallRequest);
    const f = new ControlFramer();
    expect(f.push(bytes.subarray(0, 100))).toEqual([]);
    expect(f.buffered).toBe(100);
    expect(f.end()?.code).toBe('truncated');
    expect(f.buffered).toBe(0);
    expect(f.end()).toBeUndefined();
  });

  it('reports nothing at end of stream after whole messages', () => {
    const f = new ControlFramer();
    f.push(STREAM);
    expect(f.end()).toBeUndefined();
  });

  it('reports one error per garbage episode, and a new one after a good message', () => {
    const good = encodeControlMessage(SAMPLES.EchoRequest);
    const junk = new Uint8Array(40).fill(0xee);
    const f = new ControlFramer();
    const out = [...f.push(junk), ...f.push(junk), ...f.push(good), ...f.push(junk), ...f.push(good)];
    expect(out.map((o) => (o.ok ? o.value.kind : o.error.code))).toEqual(['bad-magic', 'EchoRequest', 'bad-magic', 'EchoRequest']);
  });
});
