/** RpcClient framing and validation, fed directly (no process): ids, replies, events, garbage, timeouts. */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { RpcClient } from '../../../../main/app/supervisor/rpc-client';
import type { TunnelEvent } from '../../../../preload/schema/tunnel';

function setup(timeoutMs = 1000) {
  const fromService = new PassThrough();
  const toService = new PassThrough();
  const written: string[] = [];
  toService.setEncoding('utf8');
  toService.on('data', (c: string) => written.push(...c.split('\n').filter(Boolean)));
  const events: TunnelEvent[] = [];
  const bad: string[] = [];
  const rpc = new RpcClient(fromService, toService, { onEvent: (e) => events.push(e), onMalformed: (why) => bad.push(why), timeoutMs });
  return { rpc, fromService, written, events, bad };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('RpcClient', () => {
  it('request_getsIdAndVersion_replyResolves_evenSplitAcrossChunks', async () => {
    const { rpc, written } = setup();
    const p = rpc.status();
    await tick();
    expect(JSON.parse(written[0] as string)).toEqual({ v: 1, id: 1, method: 'status' });
    rpc.feed('{"v":1,"id":1,"ok":true,');
    rpc.feed('"result":{"state":"idle"}}\n');
    await expect(p).resolves.toEqual({ state: 'idle' });
  });

  it('errorReply_rejectsWithTheServiceCode', async () => {
    const { rpc } = setup();
    const p = rpc.disconnect();
    rpc.feed('{"v":1,"id":1,"ok":false,"error":{"code":"not-connected","message":"no tunnel"}}\n');
    await expect(p).rejects.toMatchObject({ code: 'not-connected', message: 'no tunnel' });
  });

  it('events_areValidated_andDelivered; garbage_isReported_andIgnored', async () => {
    const { rpc, events, bad } = setup();
    rpc.feed('{"v":1,"event":{"event":"log","level":"info","message":"hi"}}\n\n');
    rpc.feed('nope\n{"v":1,"event":{"event":"connected"}}\n{"v":1,"id":77,"ok":true,"result":1}\n');
    rpc.feed('{"v":1,"id":null,"ok":false,"error":{"code":"bad-json","message":"x"}}\n');
    expect(events).toEqual([{ event: 'log', level: 'info', message: 'hi' }]);
    expect(bad).toEqual(['not JSON', expect.stringContaining('not a valid service line'), 'reply to unknown request id 77', expect.stringContaining('bad-json')]);
  });

  it('oversizedLine_isDiscardedUpToItsNewline', () => {
    const { rpc, events, bad } = setup();
    rpc.feed('y'.repeat(40_000));
    rpc.feed('y'.repeat(40_000));
    rpc.feed('still the same line\n{"v":1,"event":{"event":"log","level":"warn","message":"after"}}\n');
    expect(bad).toHaveLength(1);
    expect(events).toEqual([{ event: 'log', level: 'warn', message: 'after' }]);
  });

  it('noReply_timesOut; close_rejectsPendingAndLaterCalls', async () => {
    const { rpc } = setup(30);
    await expect(rpc.hello()).rejects.toMatchObject({ code: 'timeout' });
    const pending = rpc.status(5000);
    rpc.close('gone');
    await expect(pending).rejects.toMatchObject({ code: 'closed', message: 'gone' });
    await expect(rpc.status()).rejects.toMatchObject({ code: 'closed' });
    expect(rpc.pendingCount).toBe(0);
  });

  it('serviceOutputEnds_closesTheClient', async () => {
    const { rpc, fromService } = setup();
    const p = rpc.status();
    fromService.end();
    await expect(p).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('RpcClient test', () => {
  it('deliversProgressLinesToTheTestsListener_thenResolvesWithTheValidatedResult', async () => {
    const { rpc, written, bad } = setup();
    const steps: unknown[] = [];
    const p = rpc.test({ options: {} as never, credentials: false }, (s) => steps.push(s));
    await tick();
    expect(JSON.parse(written[0] as string)).toMatchObject({ v: 1, id: 1, method: 'test', params: { credentials: false } });
    const step = { step: 'resolve', status: 'ok', message: 'x' };
    rpc.feed(`${JSON.stringify({ v: 1, id: 1, step })}\n${JSON.stringify({ v: 1, id: 9, step })}\n`);
    rpc.feed(`${JSON.stringify({ v: 1, id: 1, ok: true, result: { steps: [step], verdict: { kind: 'works', credentialsTested: false, summary: 's' } } })}\n`);
    await expect(p).resolves.toMatchObject({ steps: [step] });
    expect(steps).toEqual([step]);
    expect(bad).toEqual(['test progress for unknown request id 9']);
  });

  it('malformedTestResult_rejects', async () => {
    const { rpc } = setup();
    const p = rpc.test({ options: {} as never, credentials: true }, () => undefined);
    rpc.feed('{"v":1,"id":1,"ok":true,"result":{"steps":"nope"}}\n');
    await expect(p).rejects.toMatchObject({ code: 'internal' });
  });
});
