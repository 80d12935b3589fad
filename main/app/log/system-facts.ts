/**
 * The facts about this machine a diagnostic report states: OS name and release (on Linux the
 * distribution's PRETTY_NAME from /etc/os-release), platform, architecture, and the Electron,
 * Chromium and Node versions of this process. Read once per report; nothing here is secret.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { RPC_VERSION } from '../../service/rpc/protocol';
import type { SystemFacts } from './diagnostic-report';

export function systemFacts(): SystemFacts {
  return {
    os: osDescription(),
    platform: process.platform,
    arch: process.arch,
    ...(process.versions.electron ? { electron: process.versions.electron } : {}),
    ...(process.versions.chrome ? { chrome: process.versions.chrome } : {}),
    node: process.versions.node,
    rpcVersion: RPC_VERSION,
  };
}

function osDescription(): string {
  const kernel = `${os.type()} ${os.release()}`;
  if (process.platform !== 'linux') return kernel;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    return pretty ? `${pretty} (${kernel})` : kernel;
  } catch {
    return kernel;
  }
}
