/**
 * Shared by the scenario scripts that system tests run inside a network namespace: argument
 * parsing (argv[2] is JSON), result printing (one JSON line), and small probes.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export function scenarioArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function emit(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function sh(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `ip -j route get <address>` → {dev, gateway}. */
export async function routeGet(address: string): Promise<{ dev?: string; gateway?: string }> {
  const result = await sh('ip', ['-j', 'route', 'get', address]);
  const rows = JSON.parse(result.stdout || '[]') as { dev?: string; gateway?: string }[];
  return { dev: rows[0]?.dev, gateway: rows[0]?.gateway };
}

export async function mainRoutes(): Promise<string[]> {
  const result = await sh('ip', ['-j', 'route', 'show', 'table', 'main']);
  return (JSON.parse(result.stdout || '[]') as { dst: string; dev: string; gateway?: string }[]).map(
    (r) => `${r.dst} dev ${r.dev}${r.gateway ? ` via ${r.gateway}` : ''}`,
  );
}

export function readResolvConf(): Promise<string> {
  return readFile('/etc/resolv.conf', 'utf8');
}

export function fail(error: unknown): never {
  emit({ fatal: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
  process.exit(1);
}

/** Polls `done` every 2 ms until it holds; throws when it has not after `limitMs` (the kernel stalled). */
export async function until(what: string, done: () => boolean, limitMs: number): Promise<void> {
  const since = Date.now();
  while (!done()) {
    if (Date.now() - since > limitMs) throw new Error(`the kernel stalled waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Runs each `ip` command in order; throws on the first that fails, naming it and quoting stderr. */
export async function ipSteps(steps: readonly string[][]): Promise<void> {
  for (const step of steps) {
    const result = await sh('ip', step);
    if (result.code !== 0) throw new Error(`ip ${step.join(' ')}: ${result.stderr}`);
  }
}
