/**
 * The VM's download payload, reproduced on the host: AES-128-CTR keystream with an all-zero key
 * and IV (the same bytes `openssl enc -aes-128-ctr` writes in build-image.sh). Port 7001 sends
 * the whole file; port 7003 sends the first N bytes of the file repeated.
 */
import { createCipheriv, createHash } from 'node:crypto';

/** Size of /srv/payload.bin in the image (must match build-image.sh's payload_size). */
export const PAYLOAD_FILE_SIZE = 4 * 1024 * 1024;

let fileBytes: Buffer | undefined;

/** The exact bytes of /srv/payload.bin. */
export function payloadFile(): Buffer {
  if (!fileBytes) {
    const zero = Buffer.alloc(16);
    const c = createCipheriv('aes-128-ctr', zero, zero);
    fileBytes = Buffer.concat([c.update(Buffer.alloc(PAYLOAD_FILE_SIZE)), c.final()]);
  }
  return fileBytes;
}

/** What the sized download service (port 7003) sends for a request of `n` bytes. */
export function sizedPayload(n: number): Buffer {
  const file = payloadFile();
  const out = Buffer.alloc(n);
  for (let off = 0; off < n; off += file.length) file.copy(out, off, 0, Math.min(file.length, n - off));
  return out;
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}
