/**
 * accel-ppp's upstream CCP race, made deterministic: the 'race' build (scripts/build-accel-ppp.sh
 * race) is upstream without the vendored fix plus a 0.5 s sleep between accel sending its CCP
 * Configure-Request and setting SC_CCP_OPEN on the PPP unit. Our Configure-Ack always reaches the
 * kernel inside that window, so the kernel never starts MPPE receive: both ends call CCP Opened,
 * and accel answers every client data packet with an LCP Protocol-Reject of 0x00FD. Upstream hits
 * this in about 2 of 9 connects; the delay makes it every connect, so the test never retries.
 *
 * The client must notice (issue 10 item 2): the tunnel ends with the dead-encryption reason and
 * its exit code, never a silent black hole. Traffic is needed to provoke the Protocol-Reject.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODE_BY_REASON } from '../../main/cli/exit-codes';
import type { FailureReason } from '../../preload/vocabulary';
import { TEST_PASSWORD, TEST_USER, requireInteropPrereqs, tcpExchange } from './support/pptpd-vm';
import { requireAccelSource } from './support/accel-build';
import { SERVER_SETUPS, startTestServer, type TestServer } from './support/test-servers';
import { isEvent, makeCliDirs, netnsNetState, requirePptpctl, since, startConnect, stopConnect, type CliDirs, type ConnectRun, type NetnsNetState } from './support/cli-runner';

/** The reason the client gives for a Protocol-Reject of MPPE data (0x00FD) once CCP is up. */
const EXPECTED_DEAD_ENCRYPTION_REASON: FailureReason = 'data-path-dead';
/** accel's log line for the Protocol-Reject it sends for our MPPE data. */
const PROTOCOL_REJECT_00FD = /send \[LCP ProtoRej id=\w+ <00fd>\]/;

const pre = await requireInteropPrereqs();
const cliReady = pre.ok && requirePptpctl('accel-ppp CCP race test');
const accelSource = pre.ok ? requireAccelSource() : { ok: false as const, why: 'no interop prerequisites' };

describe.skipIf(!pre.ok || !cliReady || !accelSource.ok)('pptpctl against accel-ppp with the CCP race forced (dead MPPE receive)', () => {
  let server: TestServer;
  let dirs: CliDirs;
  let before: NetnsNetState;
  let run: ConnectRun | undefined;

  beforeAll(async () => {
    server = await startTestServer('accel-ppp', SERVER_SETUPS.mschapV2Mppe128, { accelVariant: 'race' });
    dirs = makeCliDirs('pptpctl-accel-race');
    before = await netnsNetState(server.vm.netns);
  });

  afterEach(async () => {
    await stopConnect(run);
    run = undefined;
  });

  afterAll(async () => {
    await server?.stop();
    dirs?.cleanup();
  });

  it('mppeReceiveNeverStarted_protocolRejectOf00FD_endsWithDeadEncryptionReason', async () => {
    const mark = server.vm.logMark();
    run = startConnect(server.vm.netns, ['--server', server.vm.serverIp, '--user', TEST_USER, '--password-stdin', '--json'], { env: dirs.env, password: TEST_PASSWORD });
    // CCP comes up on both ends (that is the race: nothing looks wrong yet).
    await run.waitForJson((e) => isEvent('phase')(e) && e.phase === 'ccp' && e.status === 'done', 30_000, 'ccp done');
    await server.vm.waitForLog(/ppp\d+: ccp_layer_started/, 15_000, mark);
    // IPCP and routes come up too; the client may only notice once data flows.
    await run.waitForJson(isEvent('connected'), 30_000, 'connected');
    await server.vm.waitForLog(server.dataPathUp, 15_000, mark);

    // Data through the tunnel: accel's kernel cannot decrypt it and accel Protocol-Rejects it.
    const t0 = performance.now();
    const probe = tcpExchange(server.vm.netns, server.vm.pppServerIp, server.vm.services.echo, 'ping\n', { timeoutMs: 20_000 }).then(
      () => 'answered',
      (e: Error) => `failed: ${e.message}`,
    );
    const exit = await run.waitExit(45_000).catch(() => undefined);
    console.log(`[accel-race] ${exit ? `pptpctl exited ${exit.code}` : 'pptpctl still running'} ${since(t0)} ms after the first data packet; probe ${await probe}`);
    const transcript = run.transcript();

    // The server side really was the race (the precondition, not the client's doing).
    expect(server.vm.log().slice(mark), 'accel sent no LCP Protocol-Reject of 0x00FD: the race did not happen').toMatch(PROTOCOL_REJECT_00FD);
    expect(exit, `still "connected" 45 s after the server Protocol-Rejected MPPE data: a silent black hole\n${transcript}`).toBeDefined();
    expect(run.json.find(isEvent('error')), transcript).toMatchObject({ reason: EXPECTED_DEAD_ENCRYPTION_REASON });
    expect(exit?.code, transcript).toBe(EXIT_CODE_BY_REASON[EXPECTED_DEAD_ENCRYPTION_REASON]);
    expect(run.json.at(-1), transcript).toMatchObject({ event: 'disconnected', reason: EXPECTED_DEAD_ENCRYPTION_REASON, restored: true });
    expect(run.invalid).toEqual([]);
    expect(await netnsNetState(server.vm.netns)).toEqual(before);
  });
});
