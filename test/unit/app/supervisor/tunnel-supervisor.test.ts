/**
 * TunnelSupervisor against a FAKE service process (fake-service.ts over the real RpcServer):
 * state transitions, the password only on the pipe, malformed lines, the service dying,
 * reconnect events and a clean quit. The real service is exercised by test/gui.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { TunnelState } from '../../../../preload/contract';
import { LogBuffer } from '../../../../main/app/log/log-buffer';
import { TunnelSupervisor, SupervisorError } from '../../../../main/app/supervisor/tunnel-supervisor';
import type { ConnectOptions } from '../../../../main/service/connect-options';
import { fakeServiceCommand, readRecord } from './fake';

const PASSWORD = 'Sup3r-s3cret!pw';
const options: ConnectOptions = {
  server: '10.77.0.1',
  username: 'alice',
  password: PASSWORD,
  auth: ['mschapv2'],
  mppe: { mppe: 'require-128', allowStateful: false },
  routes: 'default',
  dns: true,
  label: 'Office',
};

const live: TunnelSupervisor[] = [];
function make(mode: string, extra: Partial<ConstructorParameters<typeof TunnelSupervisor>[0]> = {}) {
  const { command, recordFile } = fakeServiceCommand(mode);
  const log = new LogBuffer();
  const sup = new TunnelSupervisor({ command, log, ...extra });
  const states: TunnelState[] = [];
  sup.onState((s) => states.push(s));
  live.push(sup);
  return { sup, log, states, recordFile };
}

function until(pred: () => boolean, ms = 8000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pred()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

afterEach(async () => {
  await Promise.all(live.splice(0).map((s) => s.stop({ timeoutMs: 3000 })));
});

describe('TunnelSupervisor with a fake service', () => {
  it('idle_connect_reachesConnected_thenDisconnectGoesIdle', async () => {
    const { sup, states, log } = make('ok');
    const id = randomUUID();
    await sup.connect(id, options);
    await until(() => sup.state.state === 'connected');
    const s = sup.state;
    expect(s).toMatchObject({ state: 'connected', profileId: id, details: { localIp: '192.168.77.10', remoteIp: '192.168.77.1', auth: 'mschapv2', mppe: { bits: 128 } } });
    expect(states[0]).toEqual({ state: 'connecting', profileId: id, phase: null, attempt: 0 });
    expect(states.some((x) => x.state === 'connecting' && x.phase === 'auth')).toBe(true);
    // Only the latest stats event is kept in the attempt's list (the fake sends two after 'connected').
    await until(() => sup.events.some((e) => e.event.event === 'stats' && e.event.uptimeMs === 2));
    expect(sup.events.filter((e) => e.event.event === 'stats')).toHaveLength(1);
    expect(log.snapshot().some((l) => l.source === 'tunnel' && l.message.includes('authenticating as alice'))).toBe(true);
    await sup.disconnect();
    expect(sup.state).toEqual({ state: 'idle' });
    expect(states.map((x) => x.state)).toContain('disconnecting');
    // 'idle' only after the service reported the end (network restored), not at the RPC reply.
    const ended = sup.events.findIndex((e) => e.event.event === 'disconnected');
    expect(ended).toBeGreaterThan(-1);
  });

  it('connect_passwordTravelsOnlyOverThePipe', async () => {
    const { sup, recordFile, log } = make('ok');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected');
    const rec = readRecord(recordFile);
    const start = rec.find((r) => r.kind === 'start');
    const connect = rec.find((r) => r.kind === 'connect');
    expect((connect?.options as ConnectOptions).password).toBe(PASSWORD);
    expect(JSON.stringify(start)).not.toContain(PASSWORD); // not in argv, not in env
    expect(JSON.stringify(log.snapshot())).not.toContain(PASSWORD);
  });

  it('connected_connectAgain_isBusy', async () => {
    const { sup } = make('ok');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected');
    await expect(sup.connect(randomUUID(), options)).rejects.toMatchObject({ code: 'busy' });
  });

  it('serviceEchoesPassword_logIsRedacted', async () => {
    const { sup, log } = make('echo-password');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected');
    await until(() => log.snapshot().some((l) => l.source === 'service' && l.message.startsWith('raw ')));
    const text = JSON.stringify(log.snapshot());
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain('password=[redacted]');
    expect(text).toContain('raw [redacted]');
  });

  it('malformedLines_areLoggedAndIgnored', async () => {
    const { sup, log } = make('malformed');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected');
    const warnings = log.snapshot().filter((l) => l.level === 'warn' && l.message.startsWith('Ignored a line'));
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/not JSON[\s\S]*not a valid service line[\s\S]*unknown request id 999[\s\S]*not a valid service line[\s\S]*over 65536 bytes/);
    expect(warnings.every((w) => w.message.length < 400)).toBe(true);
  });

  it('authFailure_errorStateWithAdvice_stickyUntilDisconnect', async () => {
    const { sup } = make('auth-fail');
    const id = randomUUID();
    await sup.connect(id, options);
    await until(() => sup.state.state === 'error');
    await new Promise((r) => setTimeout(r, 50)); // the 'disconnected' event must not clear it
    expect(sup.state).toMatchObject({
      state: 'error',
      profileId: id,
      failure: { reason: 'auth-failed', message: 'E=691 bad credentials', phase: 'auth' },
      advice: { title: 'Authentication failed' },
    });
    await sup.disconnect();
    expect(sup.state).toEqual({ state: 'idle' });
  });

  it('serviceDiesOnConnect_errorInternal_andNextConnectStartsANewService', async () => {
    const { sup } = make('die-on-connect');
    const id = randomUUID();
    await expect(sup.connect(id, options)).rejects.toBeInstanceOf(SupervisorError);
    await until(() => sup.state.state === 'error');
    const s = sup.state;
    expect(s.state === 'error' && s.failure.reason).toBe('internal-error');
    expect(s.state === 'error' && s.failure.message).toMatch(/stopped unexpectedly \(exit code 3\)/);
    const firstPid = sup.servicePid;
    expect(firstPid).toBeUndefined();
    // A second attempt spawns a new process (which dies again: the state says so again).
    await expect(sup.connect(id, options)).rejects.toBeInstanceOf(SupervisorError);
    expect(sup.state.state).toBe('error');
  });

  it('serviceKilledWhileConnected_errorInternal', async () => {
    const { sup, log } = make('die-after-connected');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected');
    await until(() => sup.state.state === 'error');
    const s = sup.state;
    expect(s.state === 'error' && s.failure).toMatchObject({ reason: 'internal-error' });
    expect(s.state === 'error' && s.failure.message).toMatch(/signal SIGKILL/);
    expect(log.snapshot().some((l) => l.level === 'error' && l.message.includes('journal'))).toBe(true);
  });

  it('reconnectingEvent_showsConnectingWithAttempt_thenConnectedAgain', async () => {
    const { sup, states } = make('reconnect');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected' && sup.state.details.localIp === '192.168.77.11');
    expect(states.some((s) => s.state === 'connecting' && s.attempt === 1)).toBe(true);
    expect(states.some((s) => s.state === 'error' && s.failure.reason === 'peer-disconnected')).toBe(true);
  });

  it('stop_whileConnected_disconnectsThenShutsDown', async () => {
    const { sup, recordFile } = make('ok');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected');
    const pid = sup.servicePid;
    await sup.stop();
    expect(sup.state).toEqual({ state: 'idle' });
    expect(pid).toBeTypeOf('number');
    expect(() => process.kill(pid as number, 0)).toThrow();
    // disconnected before it was told to stop reading
    const kinds = readRecord(recordFile).map((r) => r.kind);
    expect(kinds).not.toContain('sigterm-ignored');
  });

  it('stop_serviceIgnoresShutdown_isKilled', async () => {
    const { sup, recordFile } = make('stubborn');
    await sup.connect(randomUUID(), options);
    await until(() => sup.state.state === 'connected');
    const pid = sup.servicePid as number;
    await sup.stop({ timeoutMs: 1500 });
    expect(() => process.kill(pid, 0)).toThrow();
    expect(readRecord(recordFile).map((r) => r.kind)).toContain('sigterm-ignored');
  }, 20_000);

  it('missingServiceBinary_serviceUnavailable', async () => {
    const log = new LogBuffer();
    const sup = new TunnelSupervisor({ command: { mode: 'custom', command: '/nonexistent/pptp-service', args: [] }, log });
    live.push(sup);
    await expect(sup.connect(randomUUID(), options)).rejects.toMatchObject({ code: 'service-unavailable' });
    expect(sup.state.state).toBe('error');
  });
});
