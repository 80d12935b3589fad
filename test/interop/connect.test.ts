/**
 * The real pptpctl against the real pptpd (default preset: MS-CHAPv2 + MPPE-128 stateless) in the
 * user-mode-linux VM: the JSON timeline, the negotiated values, ping and bulk data through the
 * TUN with md5-checked uploads and downloads, pushed DNS and routes as asked, status, and a
 * disconnect that leaves the namespace's routes, links and resolv.conf exactly as before (and the
 * host's own untouched), with a clean hang-up in the server's log.
 *
 * One VM for the file; each test starts from a network state equal to the snapshot taken first.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TUNNEL_PHASES } from '../../preload/vocabulary';
import {
  TEST_PASSWORD,
  TEST_USER,
  md5Hex,
  requireInteropPrereqs,
  runInNetns,
  sizedPayload,
  startPptpdVm,
  tcpExchange,
  type PptpdVm,
} from './support/pptpd-vm';
import {
  hostNetState,
  isEvent,
  makeCliDirs,
  nameservers,
  netnsNetState,
  requirePptpctl,
  pptpctlCommand,
  routeRows,
  runPptpctl,
  since,
  startConnect,
  stopConnect,
  type CliDirs,
  type ConnectRun,
  type ConnectedInfo,
  type NetnsNetState,
} from './support/cli-runner';

const pre = await requireInteropPrereqs();
const cliReady = pre.ok && requirePptpctl('interop connect tests');

const UPLOAD_BYTES = 20 * 1024 * 1024;
const SIZED_DOWNLOAD_BYTES = 8 * 1024 * 1024;

function poolIndex(ip: string): number {
  const m = /^192\.168\.77\.(\d+)$/.exec(ip);
  return m ? Number(m[1]) : -1;
}

describe.skipIf(!pre.ok || !cliReady)('pptpctl connect to pptpd (MS-CHAPv2 + MPPE-128)', () => {
  let vm: PptpdVm;
  let dirs: CliDirs;
  let before: NetnsNetState;
  let hostBefore: NetnsNetState;
  let run: ConnectRun | undefined;
  let connected: ConnectedInfo;

  beforeAll(async () => {
    vm = await startPptpdVm();
    dirs = makeCliDirs('pptpctl-connect');
    before = await netnsNetState(vm.netns);
    hostBefore = await hostNetState();
    console.log(`[connect] VM ${vm.name} ready in ${vm.bootMs} ms; pptpctl via ${pptpctlCommand().kind}`);
  });

  afterAll(async () => {
    await stopConnect(run);
    await vm?.stop();
    dirs?.cleanup();
  });

  it('connect_json_phasesInOrderThenConnectedWithNegotiatedValues', async () => {
    const t0 = performance.now();
    const mark = vm.logMark();
    run = startConnect(
      vm.netns,
      ['--server', vm.serverIp, '--user', TEST_USER, '--password-stdin', '--routes', 'default', '--stats', '1', '--json'],
      { env: dirs.env, password: TEST_PASSWORD },
    );
    connected = (await run.waitForJson(isEvent('connected'), 30_000, 'connected')) as unknown as ConnectedInfo;
    console.log(`[connect] connected in ${since(t0)} ms (pptpctl says elapsedMs=${connected.elapsedMs})`);

    // Every line is a valid tunnel event, nothing else on stdout.
    expect(run.nonJson).toEqual([]);
    expect(run.invalid).toEqual([]);

    // The timeline: each phase starts, then is done, in TUNNEL_PHASES order, none failed, before "connected".
    const connectedAt = run.json.findIndex(isEvent('connected'));
    const phases = run.json.slice(0, connectedAt).filter(isEvent('phase')) as { phase: string; status: string; at: number; durationMs?: number }[];
    expect(phases.filter((p) => p.status === 'failed')).toEqual([]);
    expect(phases.filter((p) => p.status === 'done').map((p) => p.phase)).toEqual([...TUNNEL_PHASES]);
    for (const phase of TUNNEL_PHASES) {
      const started = phases.findIndex((p) => p.phase === phase && p.status === 'started');
      const done = phases.findIndex((p) => p.phase === phase && p.status === 'done');
      expect(started, `${phase} started`).toBeGreaterThanOrEqual(0);
      expect(started, `${phase} started before done`).toBeLessThan(done);
      expect(phases[done]?.durationMs, `${phase} durationMs`).toBeTypeOf('number');
    }
    const ats = phases.map((p) => p.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));

    expect(connected).toMatchObject({
      event: 'connected',
      server: vm.serverIp,
      remoteIp: vm.pppServerIp,
      auth: 'mschapv2',
      mppe: { bits: 128, stateful: false },
    });
    expect(poolIndex(connected.localIp)).toBeGreaterThanOrEqual(10);
    expect(poolIndex(connected.localIp)).toBeLessThanOrEqual(20);
    expect(connected.mtu).toBeGreaterThanOrEqual(576);
    expect(connected.mtu).toBeLessThanOrEqual(1500);
    expect(connected.tunName).toMatch(/^[A-Za-z0-9_.-]{1,15}$/);

    // The server agrees: MS-CHAPv2 peer authenticated, MPPE-128 stateless, the same addresses.
    await vm.waitForLog(/pppd\[\d+\]: MPPE 128-bit stateless compression enabled/, 10_000, mark);
    await vm.waitForLog(new RegExp(`pppd\\[\\d+\\]: remote IP address ${connected.localIp.replace(/\./g, '\\.')}`), 10_000, mark);
    // The server's side of the link is configured only once its ip-up ran; packets before that are dropped there.
    await vm.waitForLog(/pppd\[\d+\]: Script \/etc\/ppp\/ip-up finished/, 10_000, mark);

    // The TUN exists with the negotiated addresses and MTU.
    const link = await runInNetns(vm.netns, 'ip', ['-j', 'address', 'show', 'dev', connected.tunName!]);
    expect(link.code).toBe(0);
    const [tun] = JSON.parse(link.stdout) as { mtu: number; flags: string[]; addr_info: { local: string; address?: string }[] }[];
    expect(tun?.mtu).toBe(connected.mtu);
    expect(tun?.flags).toContain('UP');
    expect(tun?.addr_info).toEqual(expect.arrayContaining([expect.objectContaining({ local: connected.localIp, address: connected.remoteIp })]));

    // pppd's `ms-dns 192.168.77.1` (given once) is pushed as both primary and secondary; the
    // contract reports the DNS servers in use, so one entry.
    expect(connected.dns).toEqual([vm.pppServerIp]);
  });

  it('connected_status_reportsTheRunningTunnel', async () => {
    const st = await runPptpctl(vm.netns, ['status', '--json'], { env: dirs.env });
    expect(st.code, st.stderr).toBe(0);
    expect(st.json.length).toBeGreaterThan(0);
    expect(JSON.stringify(st.json)).toContain(connected.localIp);
  });

  it('connected_pingThroughTheTun', async () => {
    const route = await runInNetns(vm.netns, 'ip', ['-j', 'route', 'get', vm.pppServerIp]);
    expect((JSON.parse(route.stdout) as { dev: string }[])[0]?.dev).toBe(connected.tunName);
    const ping = await runInNetns(vm.netns, 'ping', ['-c', '3', '-W', '2', vm.pppServerIp], { timeoutMs: 20_000 });
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    expect(ping.stdout).toMatch(/3 packets transmitted, 3 received/);
  });

  it('connected_upload20MiBThroughTheTunnel_md5Matches', async () => {
    const data = randomBytes(UPLOAD_BYTES);
    const t0 = performance.now();
    const reply = await tcpExchange(vm.netns, vm.pppServerIp, vm.services.uploadMd5, data, { timeoutMs: 150_000 });
    const ms = since(t0);
    console.log(`[connect] upload ${UPLOAD_BYTES} B in ${ms} ms = ${((UPLOAD_BYTES * 8) / ms / 1000).toFixed(1)} Mbit/s`);
    expect(reply.toString().trim()).toBe(`${md5Hex(data)}  -`);
  });

  it('connected_downloadsThroughTheTunnel_md5Matches', async () => {
    let t0 = performance.now();
    const sized = await tcpExchange(vm.netns, vm.pppServerIp, vm.services.sizedDownload, `${SIZED_DOWNLOAD_BYTES}\n`, { timeoutMs: 120_000 });
    let ms = since(t0);
    console.log(`[connect] download ${SIZED_DOWNLOAD_BYTES} B in ${ms} ms = ${((SIZED_DOWNLOAD_BYTES * 8) / ms / 1000).toFixed(1)} Mbit/s`);
    expect(sized.length).toBe(SIZED_DOWNLOAD_BYTES);
    expect(md5Hex(sized)).toBe(md5Hex(sizedPayload(SIZED_DOWNLOAD_BYTES)));

    t0 = performance.now();
    const file = await tcpExchange(vm.netns, vm.pppServerIp, vm.services.download, '', { timeoutMs: 120_000 });
    ms = since(t0);
    expect(file.length).toBe(vm.payload.size);
    expect(md5Hex(file)).toBe(vm.payload.md5);
    console.log(`[connect] payload file ${file.length} B in ${ms} ms`);
  });

  it('connected_statsEventsCountTheTraffic', async () => {
    // --stats 1: a stats line every second; after 20 MiB up and 12 MiB down they must show it.
    const stats = (await run!.waitForJson(
      (e) => e.event === 'stats' && Number(e.txBytes) >= UPLOAD_BYTES && Number(e.rxBytes) >= SIZED_DOWNLOAD_BYTES,
      5_000,
      'a stats line counting the transfers',
    )) as { txBytes: number; rxBytes: number; txPackets: number; rxPackets: number };
    expect(stats.txPackets).toBeGreaterThan(UPLOAD_BYTES / 1500);
    expect(stats.rxPackets).toBeGreaterThan(SIZED_DOWNLOAD_BYTES / 1500);
  });

  it('connected_pushedDnsAppliedInsideTheNamespace', async () => {
    const inside = await runInNetns(vm.netns, 'cat', ['/etc/resolv.conf']);
    expect(nameservers(inside.stdout)).toEqual([vm.pppServerIp]);
    // The host's own resolver is not touched.
    expect((await hostNetState()).resolvConf).toBe(hostBefore.resolvConf);
  });

  it('connected_routesDefault_twoHalvesViaTunAndServerHostRouteOutside', async () => {
    const rows = (await routeRows(vm.netns)) as { dst: string; dev: string; gateway?: string }[];
    const tun = connected.tunName;
    expect(rows.find((r) => r.dst === '0.0.0.0/1')?.dev).toBe(tun);
    expect(rows.find((r) => r.dst === '128.0.0.0/1')?.dev).toBe(tun);
    const hostRoute = rows.find((r) => r.dst === vm.serverIp);
    expect(hostRoute, JSON.stringify(rows)).toBeDefined();
    expect(hostRoute?.dev).not.toBe(tun);
    // The control connection and GRE still leave through br0.
    const get = await runInNetns(vm.netns, 'ip', ['-j', 'route', 'get', vm.serverIp]);
    expect((JSON.parse(get.stdout) as { dev: string }[])[0]?.dev).toBe('br0');
    // The original routes are all still there (0/1 + 128/1 never replace anything).
    const now = await netnsNetState(vm.netns);
    const mainBefore = before.routes.filter((r) => !r.includes('"table":"local"'));
    expect(now.routes).toEqual(expect.arrayContaining(mainBefore));
  });

  it('disconnect_exitsZero_restoresEverything_serverSeesCleanHangup', async () => {
    const mark = vm.logMark();
    const t0 = performance.now();
    const d = await runPptpctl(vm.netns, ['disconnect'], { env: dirs.env, timeoutMs: 30_000 });
    expect(d.code, d.stdout + d.stderr).toBe(0);
    const exit = await run!.waitExit(15_000);
    console.log(`[connect] disconnect took ${since(t0)} ms`);
    expect(exit).toEqual({ code: 0, signal: null });
    const last = run!.json.at(-1);
    expect(last).toMatchObject({ event: 'disconnected', restored: true });
    expect(run!.invalid).toEqual([]);
    expect(run!.json.filter(isEvent('error'))).toEqual([]);

    expect(await netnsNetState(vm.netns)).toEqual(before);
    expect(await hostNetState()).toEqual(hostBefore);

    // pppd saw the LCP Terminate-Request and ended the session; pptpd closed the control connection.
    await vm.waitForLog(/pppd\[\d+\]: rcvd \[LCP TermReq/, 10_000, mark);
    await vm.waitForLog(/pppd\[\d+\]: Connection terminated/, 10_000, mark);
    await vm.waitForLog(/pptpd\[\d+\]: CTRL: Client 10\.77\.0\.2 control connection finished/, 10_000, mark);

    const st = await runPptpctl(vm.netns, ['status'], { env: dirs.env });
    expect(st.code).toBe(15);
    const again = await runPptpctl(vm.netns, ['disconnect'], { env: dirs.env });
    expect(again.code).toBe(15);
  });

  it('connect_splitRoutesNoDns_onlyTheCidrsViaTun_sigtermRestores', async () => {
    const cidrs = ['10.99.0.0/16', '172.31.5.0/24'];
    const mark = vm.logMark();
    run = startConnect(
      vm.netns,
      ['--server', vm.serverIp, '--user', TEST_USER, '--password-stdin', '--routes', cidrs.join(','), '--dns', 'off', '--json'],
      { env: dirs.env, password: TEST_PASSWORD },
    );
    connected = (await run.waitForJson(isEvent('connected'), 30_000, 'connected')) as unknown as ConnectedInfo;
    const rows = (await routeRows(vm.netns)) as { dst: string; dev: string }[];
    const viaTun = rows.filter((r) => r.dev === connected.tunName).map((r) => r.dst);
    // The CIDRs, plus the kernel's peer route for the point-to-point address; no default halves.
    expect(viaTun.filter((d) => d !== connected.remoteIp).sort()).toEqual([...cidrs].sort());
    expect(rows.some((r) => r.dst === '0.0.0.0/1' || r.dst === '128.0.0.0/1' || r.dst === 'default')).toBe(false);
    expect((await netnsNetState(vm.netns)).resolvConf).toBe(before.resolvConf);
    await vm.waitForLog(/pppd\[\d+\]: Script \/etc\/ppp\/ip-up finished/, 10_000, mark);
    const ping = await runInNetns(vm.netns, 'ping', ['-c', '1', '-W', '2', vm.pppServerIp], { timeoutMs: 10_000 });
    expect(ping.code, ping.stdout).toBe(0);

    run.signal('SIGTERM');
    const exit = await run.waitExit(15_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.json.at(-1)).toMatchObject({ event: 'disconnected', restored: true });
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });
});
