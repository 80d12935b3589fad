import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { RpcError, RpcServer, type TunnelController } from '../../../../main/service/rpc/server';
import { MAX_LINE_BYTES, rpcServiceLineSchema } from '../../../../main/service/rpc/protocol';
import type { ConnectOptions } from '../../../../main/service/connect-options';

function setup(overrides: Partial<TunnelController> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const calls: string[] = [];
  const connected: ConnectOptions[] = [];
  const controller: TunnelController = {
    connect: async (o) => {
      calls.push('connect');
      connected.push(o);
    },
    disconnect: async () => {
      calls.push('disconnect');
    },
    status: () => ({ state: 'idle' }),
    shutdown: async () => {
      calls.push('shutdown');
    },
    ...overrides,
  };
  const server = new RpcServer(input, output, controller, { name: 'test', version: '0', privileged: false });
  const lines: unknown[] = [];
  output.setEncoding('utf8');
  let pending = '';
  output.on('data', (c: string) => {
    pending += c;
    let nl;
    while ((nl = pending.indexOf('\n')) !== -1) {
      lines.push(JSON.parse(pending.slice(0, nl)));
      pending = pending.slice(nl + 1);
    }
  });
  const tick = () => new Promise((r) => setImmediate(r));
  return { server, lines, calls, connected, tick };
}

const goodConnect = {
  v: 1,
  id: 7,
  method: 'connect',
  params: {
    server: '10.77.0.1',
    username: 'alice',
    password: 's3cret-Pass',
    auth: ['mschapv2'],
    mppe: { mppe: 'require-128', allowStateful: false },
    routes: 'default',
    dns: true,
  },
};

describe('RpcServer', () => {
  it('answers hello and status with the request id', async () => {
    const { server, lines, tick } = setup();
    server.feed('{"v":1,"id":1,"method":"hello"}\n{"v":1,"id":2,"method":"status"}\n');
    await tick();
    expect(lines).toMatchObject([
      { v: 1, id: 1, ok: true, result: { name: 'test', rpcVersion: 1 } },
      { v: 1, id: 2, ok: true, result: { state: 'idle' } },
    ]);
    for (const l of lines) expect(rpcServiceLineSchema.safeParse(l).success).toBe(true);
  });

  it('dispatches a valid connect split across chunks', async () => {
    const { server, lines, connected, tick } = setup();
    const text = JSON.stringify(goodConnect) + '\n';
    server.feed(text.slice(0, 10));
    server.feed(text.slice(10, 50));
    server.feed(text.slice(50));
    await tick();
    expect(connected).toHaveLength(1);
    expect(connected[0]!.password).toBe('s3cret-Pass');
    expect(lines).toMatchObject([{ id: 7, ok: true }]);
  });

  it.each([
    ['not json', 'bad-json', null],
    ['{"id":3,"method":"hello"}', 'bad-version', 3],
    ['{"v":2,"id":3,"method":"hello"}', 'bad-version', 3],
    ['{"v":1,"id":4,"method":"format-disk"}', 'bad-request', 4],
    ['{"v":1,"id":5,"method":"connect","params":{"server":"; rm -rf /"}}', 'bad-request', 5],
    ['[1,2,3]', 'bad-version', null],
    ['null', 'bad-version', null],
  ])('replies to %j with %s and keeps serving', async (line, code, id) => {
    const { server, lines, tick } = setup();
    server.feed(line + '\n{"v":1,"id":99,"method":"status"}\n');
    await tick();
    expect(lines[0]).toMatchObject({ ok: false, id, error: { code } });
    expect(lines[1]).toMatchObject({ ok: true, id: 99 });
  });

  it('never echoes the password of an invalid connect', async () => {
    const { server, lines, tick } = setup();
    const bad = { ...goodConnect, params: { ...goodConnect.params, mtu: 99999 } };
    server.feed(JSON.stringify(bad) + '\n');
    await tick();
    expect(lines[0]).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(JSON.stringify(lines)).not.toContain('s3cret-Pass');
  });

  it('refuses an over-long line without buffering it, then recovers', async () => {
    const { server, lines, tick } = setup();
    const chunk = 'x'.repeat(16 * 1024);
    for (let i = 0; i < (MAX_LINE_BYTES / chunk.length) * 3; i++) server.feed(chunk);
    server.feed('\n{"v":1,"id":1,"method":"status"}\n');
    await tick();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ ok: false, error: { code: 'line-too-long' } });
    expect(lines[1]).toMatchObject({ ok: true, id: 1 });
  });

  it('turns controller errors into typed replies', async () => {
    const { server, lines, tick } = setup({
      connect: async () => {
        throw new RpcError('busy', 'a tunnel is already up');
      },
      disconnect: async () => {
        throw new Error('boom');
      },
    });
    server.feed(JSON.stringify(goodConnect) + '\n{"v":1,"id":8,"method":"disconnect"}\n');
    await tick();
    await tick();
    expect(lines).toContainEqual({ v: 1, id: 7, ok: false, error: { code: 'busy', message: 'a tunnel is already up' } });
    expect(lines).toContainEqual({ v: 1, id: 8, ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('pushes events as validated lines', async () => {
    const { server, lines, tick } = setup();
    server.pushEvent({ event: 'error', reason: 'gre-blocked', message: 'no GRE' });
    await tick();
    expect(rpcServiceLineSchema.safeParse(lines[0]).success).toBe(true);
  });
});
