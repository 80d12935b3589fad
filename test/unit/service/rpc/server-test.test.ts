/** The `test` RPC: progress lines with the request id, then the result; a controller without tests says 'unsupported'. */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { RpcServer, type TunnelController } from '../../../../main/service/rpc/server';
import { rpcServiceLineSchema } from '../../../../main/service/rpc/protocol';
import type { DoctorResult } from '../../../../preload/schema/doctor';

const options = { server: '10.77.0.1', username: 'alice', password: 'pw-Secret9', auth: ['mschapv2'], mppe: { mppe: 'require-128', allowStateful: false }, routes: 'default', dns: true };

function setup(test?: TunnelController['test']) {
  const input = new PassThrough();
  const output = new PassThrough();
  const controller: TunnelController = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    status: () => ({ state: 'idle' }),
    shutdown: async () => undefined,
    ...(test ? { test } : {}),
  };
  const server = new RpcServer(input, output, controller, { name: 't', version: '0', privileged: true });
  const lines: unknown[] = [];
  output.setEncoding('utf8');
  output.on('data', (c: string) => lines.push(...c.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown)));
  return { server, lines };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('RpcServer test', () => {
  it('streams each settled step with the request id, then replies with the result', async () => {
    const result: DoctorResult = { steps: [{ step: 'resolve', status: 'ok', message: '10.77.0.1 (an address)' }], verdict: { kind: 'works', credentialsTested: false, summary: 'ok' } };
    let seen: { credentials: boolean; server: string } | undefined;
    const { server, lines } = setup(async (o, credentials, onStep) => {
      seen = { credentials, server: o.server };
      onStep(result.steps[0]!);
      return result;
    });
    server.feed(JSON.stringify({ v: 1, id: 4, method: 'test', params: { options, credentials: false } }) + '\n');
    await tick();
    expect(seen).toEqual({ credentials: false, server: '10.77.0.1' });
    expect(lines).toEqual([
      { v: 1, id: 4, step: result.steps[0] },
      { v: 1, id: 4, ok: true, result },
    ]);
    for (const l of lines) expect(rpcServiceLineSchema.safeParse(l).success).toBe(true);
  });

  it('a controller without tests answers unsupported; bad params are a bad request', async () => {
    const { server, lines } = setup();
    server.feed(JSON.stringify({ v: 1, id: 5, method: 'test', params: { options, credentials: true } }) + '\n');
    server.feed(JSON.stringify({ v: 1, id: 6, method: 'test', params: { options } }) + '\n');
    await tick();
    expect(lines).toContainEqual({ v: 1, id: 5, ok: false, error: { code: 'unsupported', message: expect.any(String) } });
    expect(lines).toContainEqual({ v: 1, id: 6, ok: false, error: { code: 'bad-request', message: expect.stringContaining('params.credentials') } });
    expect(JSON.stringify(lines)).not.toContain('pw-Secret9');
  });
});
