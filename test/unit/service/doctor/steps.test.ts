import { describe, expect, it } from 'vitest';
import type { DoctorStepRecord } from '../../../../preload/schema/doctor';
import { doctorResultSchema } from '../../../../preload/schema/doctor';
import type { TunnelEvent } from '../../../../preload/schema/tunnel';
import { DoctorSteps } from '../../../../main/service/doctor/steps';
import { ADVICE } from '../../../../main/service/doctor/advice';

const done = (phase: string, detail: Record<string, string | number | string[]> = {}): TunnelEvent =>
  ({ event: 'phase', phase, status: 'done', at: 1, durationMs: 1, detail }) as TunnelEvent;

function run(withCredentials: boolean) {
  const heard: DoctorStepRecord[] = [];
  const model = new DoctorSteps({ withCredentials, onStep: (r) => heard.push(r) });
  model.resolved('vpn.example.com', '192.0.2.1');
  model.tcpOk('192.0.2.1');
  return { model, heard };
}

const statuses = (m: DoctorSteps) => Object.fromEntries(m.records().map((r) => [r.step, r.status]));

describe('DoctorSteps', () => {
  it('without credentials: stops after GRE and reports auth, encryption and addresses as not tested', () => {
    const { model, heard } = run(false);
    expect(model.onEvent(done('control', { server: 'local', vendor: 'linux' }))).toBe('continue');
    expect(model.onEvent(done('call', { peerCallId: 384, window: 64 }))).toBe('continue');
    expect(model.onEvent(done('lcp', { auth: 'MS-CHAPv2' }))).toBe('stop');
    model.onEvent({ event: 'error', reason: 'local-disconnect', message: 'asked to' });
    const verdict = model.finish();
    expect(verdict).toEqual({ kind: 'works', credentialsTested: false, summary: expect.stringContaining('credentials not tested') });
    expect(statuses(model)).toEqual({ resolve: 'ok', tcp: 'ok', control: 'ok', call: 'ok', gre: 'ok', auth: 'not-tested', encryption: 'not-tested', ipcp: 'not-tested' });
    expect(heard.map((r) => r.step)).toEqual(['resolve', 'tcp', 'control', 'call', 'gre', 'auth', 'encryption', 'ipcp']);
    // Plain words first; the protocol fields only in the technical line.
    const call = heard.find((r) => r.step === 'call')!;
    expect(call.message).not.toMatch(/call id|window/);
    expect(call.technical).toBe('call set up (server call id 384, window 64)');
    expect(doctorResultSchema.safeParse(model.result).success).toBe(true);
  });

  it('with credentials: a bad password fails the auth step with the advice, later steps read not reached', () => {
    const { model } = run(true);
    model.onEvent(done('control'));
    model.onEvent(done('call'));
    expect(model.onEvent(done('lcp', { auth: 'MS-CHAPv2' }))).toBe('continue');
    model.onEvent({ event: 'phase', phase: 'auth', status: 'failed', at: 2 });
    model.onEvent({ event: 'error', reason: 'auth-failed', message: 'E=691 authentication failure', phase: 'auth' });
    const verdict = model.finish();
    expect(verdict).toEqual({ kind: 'failed', reason: 'auth-failed', advice: ADVICE['auth-failed'] });
    expect(statuses(model)).toMatchObject({ gre: 'ok', auth: 'failed', encryption: 'not-reached', ipcp: 'not-reached' });
    const auth = model.records().find((r) => r.step === 'auth')!;
    expect(auth).toMatchObject({ message: 'E=691 authentication failure', reason: 'auth-failed', advice: ADVICE['auth-failed'] });
  });

  it('GRE blocked lands on the gre step even though the failure came in the LCP phase', () => {
    const { model } = run(true);
    model.onEvent(done('control'));
    model.onEvent(done('call'));
    model.onEvent({ event: 'error', reason: 'gre-blocked', message: 'no GRE from the server in 10 s', phase: 'lcp' });
    model.finish();
    expect(statuses(model)).toMatchObject({ call: 'ok', gre: 'failed', auth: 'not-reached', encryption: 'not-reached', ipcp: 'not-reached' });
  });

  it('a refusal of ours gets the refusal advice', () => {
    const { model } = run(true);
    model.onEvent({ event: 'error', reason: 'auth-method-refused', message: 'the server wants PAP', phase: 'lcp', detail: { refusal: 'auth-method', serverMethod: 'pap', allowedMethods: 'mschapv2' } });
    const v = model.finish();
    expect(v.kind === 'failed' && v.advice.title).toMatch(/requires PAP/);
  });

  it('the whole way up with credentials is a working server', () => {
    const { model } = run(true);
    for (const p of ['control', 'call', 'lcp', 'auth', 'ccp']) model.onEvent(done(p, { method: 'MS-CHAPv2', mppe: '128-bit', mode: 'stateless' }));
    model.onEvent(done('ipcp', { local: '10.0.0.2', remote: '10.0.0.1', dns: ['10.0.0.1'] }));
    expect(model.onEvent({ event: 'connected', server: 's', localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: [], mtu: 1400, auth: 'MS-CHAPv2', mppe: { bits: 128, stateful: false }, elapsedMs: 5 })).toBe('stop');
    model.onEvent({ event: 'disconnected', reason: 'local-disconnect', restored: true });
    expect(model.finish()).toEqual({ kind: 'works', credentialsTested: true, summary: 'the server works.' });
    expect(model.records().every((r) => r.status === 'ok')).toBe(true);
    expect(model.records().find((r) => r.step === 'ipcp')!.message).toBe('The server gives this computer the address 10.0.0.2 and DNS server 10.0.0.1.');
  });

  it('a name that does not resolve fails resolve and nothing else is reached', () => {
    const model = new DoctorSteps({ withCredentials: false });
    const v = model.resolveFailed('getaddrinfo ENOTFOUND nope.invalid');
    expect(v).toMatchObject({ kind: 'failed', reason: 'server-not-found' });
    expect(statuses(model)).toEqual({ resolve: 'failed', tcp: 'not-reached', control: 'not-reached', call: 'not-reached', gre: 'not-reached', auth: 'not-reached', encryption: 'not-reached', ipcp: 'not-reached' });
  });

  it('TCP refused keeps the kind in the technical line', () => {
    const model = new DoctorSteps({ withCredentials: false });
    model.resolved('192.0.2.1', '192.0.2.1');
    model.tcpFailed('connect ECONNREFUSED 192.0.2.1:1723', 'refused');
    const tcp = model.records().find((r) => r.step === 'tcp')!;
    expect(tcp).toMatchObject({ status: 'failed', reason: 'tcp-unreachable', technical: 'connect ECONNREFUSED 192.0.2.1:1723 [refused]' });
    expect(model.records()[0]!.message).toBe('192.0.2.1 (an address)');
  });

  it('without privileges: control not tested, the rest not reached, verdict incomplete', () => {
    const { model } = run(true);
    expect(model.notPrivileged('root')).toEqual({ kind: 'incomplete', why: 'not-privileged', summary: expect.any(String) });
    expect(statuses(model)).toMatchObject({ control: 'not-tested', call: 'not-reached', ipcp: 'not-reached' });
  });

  it('settles each step once, and nothing after the verdict', () => {
    const { model, heard } = run(false);
    model.tcpOk('x');
    model.finish();
    const n = heard.length;
    model.onEvent(done('control'));
    expect(heard.length).toBe(n);
    expect(new Set(heard.map((r) => r.step)).size).toBe(heard.length);
  });
});

describe('DoctorSteps with credentials, ended early', () => {
  it('is no success: the first step not passed fails with an internal error', () => {
    const { model } = run(true);
    model.onEvent(done('control'));
    const v = model.finish();
    expect(v).toMatchObject({ kind: 'failed', reason: 'internal-error' });
    expect(statuses(model)).toMatchObject({ control: 'ok', call: 'failed', gre: 'not-reached' });
  });
});
