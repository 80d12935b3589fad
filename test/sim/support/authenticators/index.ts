/** The simulated authenticators, one per client method, plus a factory by method name. */
import type { AuthMethod } from '../../../../preload/vocabulary';
import { ChapMd5Authenticator } from './chap-md5-authenticator';
import { EapAuthenticator, type EapAuthenticatorConfig } from './eap-authenticator';
import { MschapV1Authenticator } from './mschap-v1-authenticator';
import { MschapV2Authenticator } from './mschap-v2-authenticator';
import { PapAuthenticator } from './pap-authenticator';
import type { AuthenticatorConfig, SimAuthenticator } from './types';

export function createAuthenticator(
  method: AuthMethod,
  config: AuthenticatorConfig & Partial<Pick<EapAuthenticatorConfig, 'method' | 'firstType' | 'notification'>>,
): SimAuthenticator {
  switch (method) {
    case 'pap':
      return new PapAuthenticator(config);
    case 'chap':
      return new ChapMd5Authenticator(config);
    case 'mschap':
      return new MschapV1Authenticator(config);
    case 'mschapv2':
      return new MschapV2Authenticator(config);
    case 'eap':
      return new EapAuthenticator({ ...config, method: config.method ?? 'mschapv2' });
  }
}

export * from './types';
export { PapAuthenticator } from './pap-authenticator';
export { ChapMd5Authenticator } from './chap-md5-authenticator';
export { MschapV1Authenticator } from './mschap-v1-authenticator';
export { MschapV2Authenticator } from './mschap-v2-authenticator';
export { EapAuthenticator, type EapAuthenticatorConfig } from './eap-authenticator';
export { mschapFailureText } from './mschap-failure-text';
