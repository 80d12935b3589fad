/**
 * pptpctl's failure paths against the real pptpd: each ends with the documented exit code, a
 * JSON error with the stable reason, a last `disconnected` line, and the namespace's routes,
 * links and resolv.conf exactly as before -- or, after `kill -9` of pptpctl itself, restored by
 * `pptpctl recover` (and by the next `connect`) from the journal.
 *
 * One VM (default preset) for the file.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, TEST_USER, requireInteropPrereqs, startPptpdVm, type PptpdVm } from './support/pptpd-vm';
import { blockGre, greDropped, unblockGre } from './support/firewall';
import {
  isEvent,
  makeCliDirs,
  nameservers,
  netnsNetState,
  requirePptpctl,
  routeRows,
  runPptpctl,
  since,
  startConnect,
  stopConnect,
  type CliDirs,
  type ConnectRun,
  type ConnectedInfo,
  type NetnsNetState,
  type PptpctlResult,
} from './support/cli-runner';

const pre = await requireInteropPrereqs();
const cliReady = pre.ok && requirePptpctl('interop failure tests');

function expectFailure(r: PptpctlResult, code: number, reason: string): Record<string, unknown> {
  const transcript = `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
  expect(r.code, transcript).toBe(code);
  expect(r.nonJson, transcript).toEqual([]);
  const error = r.json.find(isEvent('error'));
  expect(error, transcript).toMatchObject({ event: 'error', reason });
  expect(r.json.at(-1), transcript).toMatchObject({ event: 'disconnected', reason, restored: true });
  return error!;
}

describe.skipIf(!pre.ok || !cliReady)('pptpctl failures against pptpd', () => {
  let vm: PptpdVm;
  let dirs: CliDirs;
  let before: NetnsNetState;
  let run: ConnectRun | undefined;

  const connectArgs = (extra: string[] = []) => ['--server', vm.serverIp, '--user', TEST_USER, '--password-stdin', '--json', ...extra];

  beforeAll(async () => {
    vm = await startPptpdVm();
    dirs = makeCliDirs('pptpctl-failures');
    before = await netnsNetState(vm.netns);
  });

  afterEach(async () => {
    await stopConnect(run);
    run = undefined;
    await unblockGre(vm.netns);
  });

  afterAll(async () => {
    await vm?.stop();
    dirs?.cleanup();
  });

  it('wrongPassword_exit6_authFailedWith691', async () => {
    const mark = vm.logMark();
    const r = await runPptpctl(vm.netns, ['connect', ...connectArgs()], { env: dirs.env, input: 'not-the-password\n', timeoutMs: 60_000 });
    const error = expectFailure(r, 6, 'auth-failed');
    expect(JSON.stringify(error)).toMatch(/691/);
    expect(r.json.some(isEvent('connected'))).toBe(false);
    expect(await netnsNetState(vm.netns)).toEqual(before);
    // pppd refused MS-CHAPv2 with the password on file.
    await vm.waitForLog(/pppd\[\d+\]: (MS-CHAP authentication failed|.*E=691)/, 10_000, mark);
  });

  it('unresolvableServerName_exit16_serverNotFound_nothingChanged', async () => {
    // The namespace's resolver is 127.0.0.1 inside it (vm/netns.sh): the lookup fails there.
    const r = await runPptpctl(vm.netns, ['connect', '--server', 'no-such-pptp-server.invalid', '--user', TEST_USER, '--password-stdin', '--json'], {
      env: dirs.env,
      input: `${TEST_PASSWORD}\n`,
      timeoutMs: 60_000,
    });
    const error = expectFailure(r, 16, 'server-not-found');
    expect(error.message).toContain('no-such-pptp-server.invalid');
    expect(String(error.hint)).toMatch(/spelling/);
    expect(String(error.message) + String(error.hint)).not.toMatch(/1723|firewall/);
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });

  it('greDroppedInClientNamespace_exit5_greBlocked', async () => {
    await blockGre(vm.netns);
    const t0 = performance.now();
    const r = await runPptpctl(vm.netns, ['connect', ...connectArgs()], { env: dirs.env, input: `${TEST_PASSWORD}\n`, timeoutMs: 90_000 });
    console.log(`[failures] gre-blocked reported after ${since(t0)} ms`);
    const error = expectFailure(r, 5, 'gre-blocked');
    expect(typeof error.hint === 'string' ? error.hint : '').toMatch(/GRE|47/);
    // The call itself came up (TCP and control fine) and the firewall really ate the server's GRE.
    const phases = r.json.filter(isEvent('phase')) as { phase: string; status: string }[];
    expect(phases.filter((p) => p.status === 'done').map((p) => p.phase)).toEqual(['tcp', 'control', 'call']);
    expect(await greDropped(vm.netns)).toBeGreaterThan(0);
    await unblockGre(vm.netns);
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });

  it('serverPppdKilledMidSession_peerDisconnectedOrKeepalive_restored', async () => {
    run = startConnect(vm.netns, connectArgs(['--lcp-echo', '2,3']), { env: dirs.env, password: TEST_PASSWORD });
    await run.waitForJson(isEvent('connected'), 30_000, 'connected');
    expect(nameservers((await netnsNetState(vm.netns)).resolvConf)).toEqual([vm.pppServerIp]);

    const k = await vm.exec('kill -9 $(pidof pppd)');
    expect(k.code, k.output).toBe(0);
    const t0 = performance.now();
    const exit = await run.waitExit(30_000);
    console.log(`[failures] server pppd killed: pptpctl exited ${exit.code} after ${since(t0)} ms`);
    expect([9, 10]).toContain(exit.code);
    const reason = exit.code === 9 ? 'peer-disconnected' : 'keepalive-timeout';
    expect(run.json.find(isEvent('error'))).toMatchObject({ reason });
    expect(run.json.at(-1)).toMatchObject({ event: 'disconnected', reason, restored: true });
    expect(run.invalid).toEqual([]);
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });

  it('pptpctlKilled9_leavesChanges_recoverRestoresExactly', async () => {
    run = startConnect(vm.netns, connectArgs(), { env: dirs.env, password: TEST_PASSWORD });
    const connected = (await run.waitForJson(isEvent('connected'), 30_000, 'connected')) as unknown as ConnectedInfo;
    run.signal('SIGKILL');
    expect((await run.waitExit(10_000)).signal).toBe('SIGKILL');

    // What a crash leaves: pushed DNS and the host route to the server (the TUN and its routes
    // die with the process's file descriptor).
    const after = await netnsNetState(vm.netns);
    expect(after).not.toEqual(before);
    expect(nameservers(after.resolvConf)).toEqual([vm.pppServerIp]);
    expect((await routeRows(vm.netns)).some((r) => r.dst === vm.serverIp)).toBe(true);

    // status and disconnect see no running tunnel.
    expect((await runPptpctl(vm.netns, ['status'], { env: dirs.env })).code).toBe(15);

    const rec = await runPptpctl(vm.netns, ['recover'], { env: dirs.env, timeoutMs: 30_000 });
    expect(rec.code, rec.stdout + rec.stderr).toBe(0);
    expect(await netnsNetState(vm.netns)).toEqual(before);
    // Nothing left to recover the second time.
    const again = await runPptpctl(vm.netns, ['recover'], { env: dirs.env, timeoutMs: 30_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await netnsNetState(vm.netns)).toEqual(before);
    expect(connected.tunName).toBeDefined();
  });

  it('pptpctlKilled9_nextConnectRecoversFirst_thenDisconnectRestoresExactly', async () => {
    run = startConnect(vm.netns, connectArgs(), { env: dirs.env, password: TEST_PASSWORD });
    await run.waitForJson(isEvent('connected'), 30_000, 'connected');
    run.signal('SIGKILL');
    await run.waitExit(10_000);
    expect(await netnsNetState(vm.netns)).not.toEqual(before);

    run = startConnect(vm.netns, connectArgs(), { env: dirs.env, password: TEST_PASSWORD });
    const connected = (await run.waitForJson(isEvent('connected'), 30_000, 'connected')) as unknown as ConnectedInfo;
    // The killed session's call is still open on the server, so this one has another address.
    expect(connected.localIp).toMatch(/^192\.168\.77\.(1\d|20)$/);
    const d = await runPptpctl(vm.netns, ['disconnect'], { env: dirs.env, timeoutMs: 30_000 });
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(await run.waitExit(15_000)).toEqual({ code: 0, signal: null });
    expect(run.json.at(-1)).toMatchObject({ event: 'disconnected', restored: true });
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });

  it('nothingListening_closedPort_exit3_tcpUnreachable', async () => {
    // 10.77.0.2 is the namespace's own address: nothing listens on 1723 there, so RST at once.
    const r = await runPptpctl(vm.netns, ['connect', '--server', vm.clientIp, '--user', TEST_USER, '--password-stdin', '--json'], {
      env: dirs.env,
      input: `${TEST_PASSWORD}\n`,
      timeoutMs: 60_000,
    });
    expectFailure(r, 3, 'tcp-unreachable');
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });

  it('nothingListening_noSuchHost_exit3_tcpUnreachable', async () => {
    // 10.77.0.99 is on the link but nobody answers ARP: the kernel reports the host unreachable.
    const t0 = performance.now();
    const r = await runPptpctl(vm.netns, ['connect', '--server', '10.77.0.99', '--user', TEST_USER, '--password-stdin', '--json'], {
      env: dirs.env,
      input: `${TEST_PASSWORD}\n`,
      timeoutMs: 90_000,
    });
    console.log(`[failures] 10.77.0.99 unreachable reported after ${since(t0)} ms`);
    expectFailure(r, 3, 'tcp-unreachable');
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });
});
