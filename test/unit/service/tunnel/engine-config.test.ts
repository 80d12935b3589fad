import { describe, expect, it } from 'vitest';
import type { ConnectOptions } from '../../../../main/service/connect-options';
import { DEFAULT_MPPE_POLICY } from '../../../../main/engine/ppp/ccp/mppe-option';
import { engineConfigFor } from '../../../../main/service/tunnel/engine-config';
import { seededRandom } from '../../../../main/engine/random';

const base: ConnectOptions = {
  server: '192.0.2.1',
  username: 'alice',
  password: 'secret',
  auth: ['mschapv2', 'mschap'],
  mppe: DEFAULT_MPPE_POLICY,
  routes: 'default',
  dns: true,
};

describe('engineConfigFor', () => {
  const random = seededRandom(1);

  it('passes credentials, allowed methods and the random source', () => {
    const c = engineConfigFor(base, random, undefined);
    expect(c.credentials).toEqual({ username: 'alice', password: 'secret' });
    expect(c.allowedAuth).toEqual(['mschapv2', 'mschap']);
    expect(c.random).toBe(random);
    expect(c).not.toHaveProperty('lcpEcho');
  });

  it('adds the domain only when there is one', () => {
    expect(engineConfigFor({ ...base, domain: 'CORP' }, random, undefined).credentials).toEqual({ username: 'alice', password: 'secret', domain: 'CORP' });
  });

  it('maps LCP echo seconds to the engine setting; interval 0 turns it off', () => {
    expect(engineConfigFor({ ...base, lcpEcho: { intervalS: 10, failures: 3 } }, random, undefined).lcpEcho).toEqual({ mode: 'fixed', intervalMs: 10_000, failures: 3 });
    expect(engineConfigFor({ ...base, lcpEcho: { intervalS: 0, failures: 3 } }, random, undefined).lcpEcho).toEqual({ mode: 'off' });
  });

  it('keeps engine overrides (test timeouts) beside the mapped options', () => {
    const c = engineConfigFor(base, random, { greSilenceTimeoutMs: 500 });
    expect(c.greSilenceTimeoutMs).toBe(500);
  });
});
