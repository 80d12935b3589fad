/** Helpers that start the fake tunnel service (fake-service.ts) for supervisor tests. */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceCommand } from '../../../../main/app/supervisor/launch';

export const FAKE_SERVICE = fileURLToPath(new URL('./fake-service.ts', import.meta.url));

export function fakeServiceCommand(mode: string): { command: ServiceCommand; recordFile: string } {
  const recordFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'pptp-fake-svc-')), 'record.jsonl');
  return {
    recordFile,
    command: {
      mode: 'custom',
      command: process.execPath,
      args: ['--import', 'tsx', FAKE_SERVICE],
      env: { FAKE_SERVICE_MODE: mode, FAKE_SERVICE_RECORD: recordFile },
    },
  };
}

export function readRecord(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
