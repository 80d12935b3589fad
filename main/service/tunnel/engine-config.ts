/**
 * ConnectOptions → the engine's PptpSessionConfig: the one place the service turns what a
 * profile or pptpctl asked for (MPPE requirement, LCP echo, credentials, allowed methods) into
 * the pure engine's settings.
 *
 * Owns: that mapping only. Must not: do I/O, validate the options (connect-options.ts did) or
 * pick defaults the engine already has.
 */
import type { PptpSessionConfig } from '../../engine/session';
import type { RandomSource } from '../../engine/random';
import type { MppePolicy, LcpEchoConfig } from '../../engine/ppp/link-types';
import type { ConnectOptions } from '../connect-options';

/** Engine settings a caller may override (tests shorten timeouts; the doctor the GRE wait). */
export type EngineOverrides = Partial<Pick<PptpSessionConfig, 'greSilenceTimeoutMs' | 'control' | 'gre' | 'ppp'>>;

export function engineConfigFor(o: ConnectOptions, random: RandomSource, overrides: EngineOverrides | undefined): PptpSessionConfig {
  // ConnectOptions.mppe already is the engine's MppePolicy (connect-options.ts): nothing to translate.
  const mppe: MppePolicy = o.mppe;
  const lcpEcho: LcpEchoConfig | undefined = o.lcpEcho
    ? o.lcpEcho.intervalS === 0
      ? { mode: 'off' }
      : { mode: 'fixed', intervalMs: o.lcpEcho.intervalS * 1000, failures: o.lcpEcho.failures }
    : undefined;
  return {
    ...overrides,
    random,
    credentials: { username: o.username, password: o.password, ...(o.domain ? { domain: o.domain } : {}) },
    allowedAuth: o.auth,
    mppe,
    ...(lcpEcho ? { lcpEcho } : {}),
  };
}
