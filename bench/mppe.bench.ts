/**
 * MPPE-128 encrypt (and decrypt) throughput for 1400-octet packets: stateless mode rekeys every
 * packet (SHA-1 + two RC4 key schedules), stateful mode only every 256 packets.
 */
import { createMppeDecryptor, createMppeEncryptor } from '../main/engine/ppp/mppe';
import type { MppeParams } from '../main/engine/ppp/mppe-contract';
import { registerBenchmark } from './harness';

const PACKET = 1400;
const startKey = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
const plain = new Uint8Array(PACKET).map((_, i) => (i * 7) & 0xff);
plain[0] = 0x00;
plain[1] = 0x21;

for (const stateful of [false, true]) {
  const params: MppeParams = { bits: 128, stateful };
  const encryptor = createMppeEncryptor(startKey, params);
  registerBenchmark({
    group: 'MPPE-128 encrypt, 1400-octet packets',
    name: stateful ? 'stateful (rekey every 256)' : 'stateless (rekey every packet)',
    bytesPerOp: PACKET,
    run: () => {
      encryptor.encrypt(plain);
    },
  });
}

for (const stateful of [false, true]) {
  const params: MppeParams = { bits: 128, stateful };
  // Pre-encrypt one full 4096-count cycle so the decryptor always sees in-order packets.
  const encryptor = createMppeEncryptor(startKey, params);
  const packets = Array.from({ length: 4096 }, () => encryptor.encrypt(plain));
  let decryptor = createMppeDecryptor(startKey, params);
  let next = 0;
  registerBenchmark({
    group: 'MPPE-128 decrypt, 1400-octet packets',
    name: stateful ? 'stateful (rekey every 256)' : 'stateless (rekey every packet)',
    bytesPerOp: PACKET,
    run: () => {
      if (next === packets.length) {
        decryptor = createMppeDecryptor(startKey, params);
        next = 0;
      }
      const r = decryptor.decrypt(packets[next++]!);
      if (!r.ok) throw new Error(`bench decrypt failed: ${r.error.code}`);
    },
  });
}
