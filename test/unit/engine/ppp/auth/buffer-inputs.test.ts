/**
 * Regression: the service feeds the engine Node Buffers. Buffer#slice is a view, so a client
 * that "copied" the authenticator challenge with slice() kept a window into a receive buffer the
 * next packet overwrote, and rejected a genuine server (found against the real pptpd).
 */
import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../../../../../main/engine/ppp/auth/index';
import { fromHex } from '../../../../../main/engine/wire/bytes';

describe('MS-CHAPv2 client fed Node Buffers', () => {
  it('verifies the server even when the receive buffer is reused for the next packet', () => {
    const peerChallenge = fromHex('e36a7ea73f8aef80f397c9ea6fc43eb7');
    let first = true;
    const random = (n: number) => {
      if (n === 16 && first) {
        first = false;
        return peerChallenge.slice(0);
      }
      return new Uint8Array(n).fill(7);
    };
    const client = createAuthClient('mschapv2', { credentials: { username: 'alice', password: 's3cret-Pass' }, random });
    client.start(0);
    // One receive buffer, reused for every packet, as a socket does.
    const rx = Buffer.alloc(128);
    const deliver = (hex: string) => {
      const bytes = Buffer.from(hex.replace(/\s/g, ''), 'hex');
      rx.fill(0xee);
      bytes.copy(rx);
      client.handlePacket(0, rx.subarray(0, bytes.length));
    };
    // A real exchange with pptpd 1.4 / pppd 2.4.9 (user alice, password s3cret-Pass).
    deliver('016d001a10390dac0af7896f84f239c8bd03e5c94f7070747064');
    expect(client.pollTransmit()).toBeDefined();
    deliver('036d003f533d37333835354538314535463634373537373930383635423346444335454535454432443043363645204d3d416363657373206772616e746564');
    expect(client.pollResult()).toMatchObject({ kind: 'success', method: 'mschapv2', message: 'Access granted' });
  });
});
