/**
 * This project's RC4 (main/engine/crypto/rc4.ts) vs node:crypto's "rc4", which OpenSSL 3 only
 * offers through its legacy provider (run with NODE_OPTIONS=--openssl-legacy-provider to include
 * it). Two shapes: a continuing keystream over 1400-octet packets (stateful MPPE), and re-key +
 * 1400 octets (what stateless MPPE does per packet).
 */
import { createCipheriv } from 'node:crypto';
import { Rc4 } from '../main/engine/crypto/rc4';
import { registerBenchmark, registerUnavailable } from './harness';

const PACKET = 1400;
const key = Uint8Array.from({ length: 16 }, (_, i) => (i * 29 + 3) & 0xff);
const input = new Uint8Array(PACKET).map((_, i) => i & 0xff);
const output = new Uint8Array(PACKET);

function nodeRc4Reason(): string | undefined {
  try {
    createCipheriv('rc4', key, null);
    return undefined;
  } catch (e) {
    return `node:crypto rc4 not offered (${(e as Error).message}); try NODE_OPTIONS=--openssl-legacy-provider`;
  }
}
const unavailable = nodeRc4Reason();

const STREAM = 'RC4 keystream, 1400-octet packets';
const ours = new Rc4(key);
registerBenchmark({
  group: STREAM,
  name: 'pure TS Rc4.crypt (into a reused buffer)',
  bytesPerOp: PACKET,
  run: () => ours.crypt(input, 0, PACKET, output, 0),
});
if (unavailable === undefined) {
  const cipher = createCipheriv('rc4', key, null);
  registerBenchmark({
    group: STREAM,
    name: 'node:crypto rc4 update()',
    bytesPerOp: PACKET,
    run: () => {
      cipher.update(input);
    },
  });
} else {
  registerUnavailable(STREAM, 'node:crypto rc4 update()', unavailable);
}

const REKEY = 'RC4 re-key + 1400 octets (stateless MPPE shape)';
const rekeyed = new Rc4(key);
registerBenchmark({
  group: REKEY,
  name: 'pure TS Rc4.setKey + crypt',
  bytesPerOp: PACKET,
  run: () => {
    rekeyed.setKey(key);
    rekeyed.crypt(input, 0, PACKET, output, 0);
  },
});
if (unavailable === undefined) {
  registerBenchmark({
    group: REKEY,
    name: 'node:crypto createCipheriv(rc4) + update()',
    bytesPerOp: PACKET,
    run: () => {
      createCipheriv('rc4', key, null).update(input);
    },
  });
} else {
  registerUnavailable(REKEY, 'node:crypto createCipheriv(rc4) + update()', unavailable);
}
