/**
 * The authentication package's front door: createAuthClient() builds the client for the method
 * LCP negotiated, and the rest re-exports what the PPP link, LCP and the tests use. No logic of
 * its own.
 */
import type { AuthMethod } from '../../../../preload/vocabulary';
import type { AuthClient, AuthClientOptions } from './auth-client';
import { ChapMd5Client } from './chap-md5';
import { EapClient } from './eap';
import { MschapV1Client } from './mschap-v1';
import { MschapV2Client } from './mschap-v2';
import { PapClient } from './pap';

export function createAuthClient(method: AuthMethod, options: AuthClientOptions): AuthClient {
  switch (method) {
    case 'pap':
      return new PapClient(options);
    case 'chap':
      return new ChapMd5Client(options);
    case 'mschap':
      return new MschapV1Client(options);
    case 'mschapv2':
      return new MschapV2Client(options);
    case 'eap':
      return new EapClient(options);
  }
}

export * from './auth-client';
export { PapClient, PAP_DEFAULT_MAX_REQUESTS, PAP_DEFAULT_RESTART_MS } from './pap';
export { ChapMd5Client } from './chap-md5';
export { MschapV1Client } from './mschap-v1';
export { MschapV2Client } from './mschap-v2';
export { EapClient, DEFAULT_EAP_TYPES, type EapInnerType } from './eap';
export { DEFAULT_AUTH_TIMEOUT_MS } from './auth-method-base';
export {
  describeMschapError,
  mschapFailure,
  parseMschapFailure,
  MSCHAP_ERROR_TEXT,
  type MschapFailureInfo,
} from './mschap-failure';
