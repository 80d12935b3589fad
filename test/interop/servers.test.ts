/**
 * The same cases against both real servers, pptpd (pppd's PPP) and accel-ppp (its own PPP, the
 * kernel's PPTP data path): MS-CHAPv2 + MPPE-128, MS-CHAPv1 + MPPE-128, CHAP-MD5 and PAP without
 * MPPE, 20 MiB each way with matching md5, a wrong password, a server that requires MPPE while the
 * client has `--mppe none`, no common authentication method, and a server-side terminate. Each
 * failure ends with its exact reason and exit code (main/cli/exit-codes.ts), a last
 * `disconnected` line, and the namespace exactly as before.
 *
 * One VM per server for the file; the configuration changes between cases (support/test-servers.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODE_BY_REASON } from '../../main/cli/exit-codes';
import type { FailureReason } from '../../preload/vocabulary';
import { TEST_PASSWORD, TEST_USER, md5Hex, requireInteropPrereqs, sizedPayload, tcpExchange } from './support/pptpd-vm';
import { requireAccelSource } from './support/accel-build';
import { SERVER_KINDS, SERVER_SETUPS, startTestServer, type ServerSetup, type TestServer } from './support/test-servers';
import {
  isEvent,
  makeCliDirs,
  netnsNetState,
  requirePptpctl,
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

/**
 * What the client must say when the server requires MPPE and the profile has `--mppe none`
 * (issue 10 item 3): the client refused the server's CCP proposal itself, so it names that cause
 * and how to allow encryption, at once.
 */
const EXPECTED_SERVER_REQUIRES_MPPE: { reason: FailureReason; says: RegExp[] } = { reason: 'encryption-refused', says: [/encrypt|MPPE/i, /--mppe/] };
/**
 * What the client must say when the server offers only PAP and the profile allows only MS-CHAPv2
 * (issue 10 item 3): the method the server offers and how to allow it.
 */
const EXPECTED_NO_COMMON_AUTH: { reason: FailureReason; says: RegExp[] } = { reason: 'auth-method-refused', says: [/PAP/, /--auth/] };

const BULK_BYTES = 20 * 1024 * 1024;
const CASE_BYTES = 1024 * 1024;

const pre = await requireInteropPrereqs();
const cliReady = pre.ok && requirePptpctl('interop server matrix');
const accelSource = pre.ok ? requireAccelSource() : { ok: false as const, why: 'no interop prerequisites' };

interface ConnectCase {
  name: string;
  setup: ServerSetup;
  args: string[];
  auth: string;
  mppe: { bits: number; stateful: boolean } | null;
}

const CONNECT_CASES: ConnectCase[] = [
  { name: 'mschapV2_mppe128', setup: SERVER_SETUPS.mschapV2Mppe128, args: [], auth: 'mschapv2', mppe: { bits: 128, stateful: false } },
  { name: 'mschapV1_mppe128', setup: SERVER_SETUPS.mschapV1Mppe128, args: ['--auth', 'mschap'], auth: 'mschap', mppe: { bits: 128, stateful: false } },
  { name: 'chapMd5_noMppe', setup: SERVER_SETUPS.chapNoMppe, args: ['--auth', 'chap', '--mppe', 'none'], auth: 'chap', mppe: null },
  { name: 'pap_noMppe', setup: SERVER_SETUPS.papNoMppe, args: ['--auth', 'pap', '--mppe', 'none'], auth: 'pap', mppe: null },
];

for (const kind of SERVER_KINDS) {
  const skipWhy = !pre.ok || !cliReady ? 'prerequisites' : kind === 'accel-ppp' && !accelSource.ok ? accelSource.why : undefined;
  describe.skipIf(skipWhy !== undefined)(`pptpctl against ${kind}`, () => {
    let server: TestServer;
    let dirs: CliDirs;
    let before: NetnsNetState;
    let run: ConnectRun | undefined;

    const connectArgs = (extra: readonly string[] = []) => ['--server', server.vm.serverIp, '--user', TEST_USER, '--password-stdin', '--json', ...extra];

    /** Connects (setup installed first) and waits until the server's data path is up. */
    async function connect(setup: ServerSetup, args: readonly string[] = []): Promise<ConnectedInfo> {
      await server.configure(setup);
      const mark = server.vm.logMark();
      run = startConnect(server.vm.netns, connectArgs(args), { env: dirs.env, password: TEST_PASSWORD });
      const connected = (await run.waitForJson(isEvent('connected'), 30_000, 'connected')) as unknown as ConnectedInfo;
      expect(run.invalid).toEqual([]);
      await server.vm.waitForLog(server.dataPathUp, 15_000, mark);
      return connected;
    }

    async function disconnectCleanly(): Promise<void> {
      const d = await runPptpctl(server.vm.netns, ['disconnect'], { env: dirs.env, timeoutMs: 30_000 });
      expect(d.code, d.stdout + d.stderr).toBe(0);
      expect(await run!.waitExit(15_000)).toEqual({ code: 0, signal: null });
      expect(run!.json.at(-1)).toMatchObject({ event: 'disconnected', restored: true });
      expect(await netnsNetState(server.vm.netns)).toEqual(before);
    }

    async function moveBothWays(bytes: number): Promise<number> {
      const t0 = performance.now();
      const up = randomBytes(bytes);
      const digest = await tcpExchange(server.vm.netns, server.vm.pppServerIp, server.vm.services.uploadMd5, up, { timeoutMs: 150_000 });
      expect(digest.toString().trim()).toBe(`${md5Hex(up)}  -`);
      const down = await tcpExchange(server.vm.netns, server.vm.pppServerIp, server.vm.services.sizedDownload, `${bytes}\n`, { timeoutMs: 150_000 });
      expect(down.length).toBe(bytes);
      expect(md5Hex(down)).toBe(md5Hex(sizedPayload(bytes)));
      return since(t0);
    }

    /** A connect that must fail: exit code of `reason`, that reason, never connected, nothing left behind. */
    async function expectConnectFails(setup: ServerSetup, args: readonly string[], password: string, reason: FailureReason): Promise<Record<string, unknown>> {
      await server.configure(setup);
      const t0 = performance.now();
      const r: PptpctlResult = await runPptpctl(server.vm.netns, ['connect', ...connectArgs(args)], { env: dirs.env, input: `${password}\n`, timeoutMs: 90_000 });
      const transcript = `exit ${r.code} after ${since(t0)} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
      console.log(`[servers] ${kind}: ${args.join(' ') || '(defaults)'} -> exit ${r.code} after ${since(t0)} ms`);
      const error = r.json.find(isEvent('error'));
      expect(error, transcript).toMatchObject({ event: 'error', reason });
      expect(r.code, transcript).toBe(EXIT_CODE_BY_REASON[reason]);
      expect(r.nonJson, transcript).toEqual([]);
      expect(r.json.some(isEvent('connected')), transcript).toBe(false);
      expect(r.json.at(-1), transcript).toMatchObject({ event: 'disconnected', reason, restored: true });
      expect(await netnsNetState(server.vm.netns)).toEqual(before);
      return error!;
    }

    beforeAll(async () => {
      server = await startTestServer(kind, SERVER_SETUPS.mschapV2Mppe128);
      dirs = makeCliDirs(`pptpctl-servers-${kind}`);
      before = await netnsNetState(server.vm.netns);
      console.log(`[servers] ${kind} VM ready in ${server.vm.bootMs} ms`);
    });

    afterEach(async () => {
      await stopConnect(run);
      run = undefined;
    });

    afterAll(async () => {
      await server?.stop();
      dirs?.cleanup();
    });

    for (const c of CONNECT_CASES) {
      it(`${c.name}_connects_movesData_disconnects`, async () => {
        const t0 = performance.now();
        const connected = await connect(c.setup, c.args);
        const connectMs = since(t0);
        expect(connected.auth).toBe(c.auth);
        expect(connected.mppe).toEqual(c.mppe);
        expect(connected.remoteIp).toBe(server.vm.pppServerIp);
        expect(connected.localIp).toMatch(/^192\.168\.77\.(1\d|20)$/);
        const ms = await moveBothWays(CASE_BYTES);
        console.log(`[servers] ${kind} ${c.name}: connected in ${connectMs} ms, ${CASE_BYTES} B each way in ${ms} ms`);
        await disconnectCleanly();
      });
    }

    it('mschapV2_mppe128_20MiBEachWay_md5Match', async () => {
      await connect(SERVER_SETUPS.mschapV2Mppe128);
      const ms = await moveBothWays(BULK_BYTES);
      console.log(`[servers] ${kind}: ${BULK_BYTES} B up + ${BULK_BYTES} B down in ${ms} ms (${((2 * BULK_BYTES * 8) / ms / 1000).toFixed(1)} Mbit/s)`);
      await disconnectCleanly();
    });

    it('wrongPassword_exit6_authFailed', async () => {
      await expectConnectFails(SERVER_SETUPS.mschapV2Mppe128, [], 'not-the-password', 'auth-failed');
    });

    it('serverRequiresMppe_clientMppeNone_namesTheCause', async () => {
      const error = await expectConnectFails(SERVER_SETUPS.mschapV2Mppe128, ['--mppe', 'none'], TEST_PASSWORD, EXPECTED_SERVER_REQUIRES_MPPE.reason);
      const text = `${String(error.message)} ${String(error.hint)}`;
      for (const re of EXPECTED_SERVER_REQUIRES_MPPE.says) expect(text).toMatch(re);
    });

    it('serverOffersOnlyPap_clientOnlyMschapV2_namesTheCause', async () => {
      const error = await expectConnectFails(SERVER_SETUPS.papNoMppe, ['--auth', 'mschapv2', '--mppe', 'none'], TEST_PASSWORD, EXPECTED_NO_COMMON_AUTH.reason);
      const text = `${String(error.message)} ${String(error.hint)}`;
      for (const re of EXPECTED_NO_COMMON_AUTH.says) expect(text).toMatch(re);
    });

    it('serverSideTerminate_exit9_peerDisconnected_restored', async () => {
      await connect(SERVER_SETUPS.mschapV2Mppe128);
      const mark = server.vm.logMark();
      await server.terminateAll();
      const t0 = performance.now();
      const exit = await run!.waitExit(30_000);
      console.log(`[servers] ${kind}: server terminate -> exit ${exit.code} after ${since(t0)} ms`);
      expect(exit.code, run!.transcript()).toBe(EXIT_CODE_BY_REASON['peer-disconnected']);
      expect(run!.json.find(isEvent('error'))).toMatchObject({ reason: 'peer-disconnected' });
      expect(run!.json.at(-1)).toMatchObject({ event: 'disconnected', reason: 'peer-disconnected', restored: true });
      expect(await netnsNetState(server.vm.netns)).toEqual(before);
      await server.vm.waitForLog(server.sessionEnded, 10_000, mark);
    });
  });
}
