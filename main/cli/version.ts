/**
 * pptpctl's version line: the package version (package.json, bundled in at build time) and the
 * service RPC protocol version it speaks, so a bug report says both.
 */
import pkg from '../../package.json' with { type: 'json' };
import { RPC_VERSION } from '../service/rpc/protocol';

export const PPTPCTL_VERSION: string = pkg.version;

export function versionText(): string {
  return `pptpctl ${PPTPCTL_VERSION} (PPTP Manager; service RPC protocol ${RPC_VERSION})`;
}
