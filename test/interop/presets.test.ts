/**
 * pptpctl against other pptpd/pppd configurations: MPPE-128 stateful, MPPE-40, MS-CHAPv1, and the
 * unencrypted CHAP-MD5 / PAP / EAP-MD5 servers (with an explicit --mppe none). Each connects with
 * the expected auth and MPPE, moves data both ways with matching md5, and disconnects leaving the
 * namespace exactly as before. A server that cannot give the encryption the profile requires
 * ends in exit 7 encryption-refused.
 *
 * One VM for the file: pptpd starts a fresh pppd per call with `file /etc/ppp/pptpd-options`, so
 * switching preset is rewriting that file (and the secrets) through the VM's exec service.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PPTPD_PRESETS,
  TEST_PASSWORD,
  TEST_USER,
  md5Hex,
  renderServerConfig,
  requireInteropPrereqs,
  sizedPayload,
  startPptpdVm,
  tcpExchange,
  type PptpdPresetName,
  type PptpdVm,
} from './support/pptpd-vm';
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
} from './support/cli-runner';

const pre = await requireInteropPrereqs();
const cliReady = pre.ok && requirePptpctl('interop preset tests');

const TRANSFER_BYTES = 4 * 1024 * 1024;

/** Installs a preset's pppd options and secrets in the running VM (takes effect on the next call). */
async function usePreset(vm: PptpdVm, preset: PptpdPresetName): Promise<void> {
  const files = renderServerConfig(PPTPD_PRESETS[preset]);
  const script = ['pptpd-options', 'chap-secrets', 'pap-secrets']
    .map((f) => `cat >/etc/ppp/${f} <<'PPTP_PRESET_EOF'\n${files[f] ?? ''}PPTP_PRESET_EOF\nchmod 600 /etc/ppp/${f}`)
    .join('\n');
  const r = await vm.exec(`${script}\ncat /etc/ppp/pptpd-options`);
  expect(r.code, r.output).toBe(0);
  expect(r.output).toBe(files['pptpd-options']);
}

interface ConnectCase {
  name: string;
  preset: PptpdPresetName;
  args: string[];
  auth: RegExp;
  /** Expected MPPE; 'as-server-logged': 128-bit in the mode pppd's log line (serverLog group 1) names. */
  mppe: { bits: number; stateful: boolean } | null | 'as-server-logged';
  /** pppd's line for the negotiated compression, when there is one. */
  serverLog?: RegExp;
}

const CONNECT_CASES: ConnectCase[] = [
  {
    // pppd with `mppe-stateful` allows stateful mode but still proposes (and acks) stateless first,
    // and never insists on stateful; pptpctl --stateful accepts stateful when a server insists.
    // So the mode is whatever both ends logged: the client's report must match the server's.
    name: 'mppeStatefulServer_withStateful_clientAndServerAgreeOnMode',
    preset: 'mppeStateful',
    args: ['--stateful'],
    auth: /^mschapv2$/,
    mppe: 'as-server-logged',
    serverLog: /pppd\[\d+\]: MPPE 128-bit (stateful|stateless) compression enabled/,
  },
  {
    name: 'mppe40_withMppe40_connects40',
    preset: 'mppe40',
    args: ['--mppe', '40'],
    auth: /^mschapv2$/,
    mppe: { bits: 40, stateful: false },
    serverLog: /pppd\[\d+\]: MPPE 40-bit stateless compression enabled/,
  },
  {
    name: 'mppe40_withMppeRequired_acceptsAnyLength',
    preset: 'mppe40',
    args: ['--mppe', 'required'],
    auth: /^mschapv2$/,
    mppe: { bits: 40, stateful: false },
    serverLog: /pppd\[\d+\]: MPPE 40-bit stateless compression enabled/,
  },
  {
    name: 'mschapV1_withAuthMschap_connectsMppe128',
    preset: 'mschapV1',
    args: ['--auth', 'mschap'],
    auth: /^mschap$/,
    mppe: { bits: 128, stateful: false },
    serverLog: /pppd\[\d+\]: MPPE 128-bit stateless compression enabled/,
  },
  { name: 'chapNoMppe_withAuthChapMppeNone_connectsUnencrypted', preset: 'chapNoMppe', args: ['--auth', 'chap', '--mppe', 'none'], auth: /^chap$/, mppe: null },
  { name: 'papNoMppe_withAuthPapMppeNone_connectsUnencrypted', preset: 'papNoMppe', args: ['--auth', 'pap', '--mppe', 'none'], auth: /^pap$/, mppe: null },
  { name: 'eapMd5_withAuthEapMppeNone_connectsUnencrypted', preset: 'eapMd5', args: ['--auth', 'eap', '--mppe', 'none'], auth: /^eap/, mppe: null },
];

const REFUSED_CASES: { name: string; preset: PptpdPresetName; args: string[] }[] = [
  { name: 'chapNoMppe_defaultMppe128_exit7EncryptionRefused', preset: 'chapNoMppe', args: ['--auth', 'chap'] },
  { name: 'papNoMppe_defaultMppe128_exit7EncryptionRefused', preset: 'papNoMppe', args: ['--auth', 'pap'] },
  { name: 'mppe40_requiring128_exit7EncryptionRefused', preset: 'mppe40', args: ['--mppe', '128'] },
];

describe.skipIf(!pre.ok || !cliReady)('pptpctl against other pptpd configurations', () => {
  let vm: PptpdVm;
  let dirs: CliDirs;
  let before: NetnsNetState;
  let run: ConnectRun | undefined;

  beforeAll(async () => {
    vm = await startPptpdVm();
    dirs = makeCliDirs('pptpctl-presets');
    before = await netnsNetState(vm.netns);
  });

  afterEach(async () => {
    await stopConnect(run);
    run = undefined;
  });

  afterAll(async () => {
    await vm?.stop();
    dirs?.cleanup();
  });

  for (const c of CONNECT_CASES) {
    it(c.name, async () => {
      await usePreset(vm, c.preset);
      const mark = vm.logMark();
      const t0 = performance.now();
      run = startConnect(vm.netns, ['--server', vm.serverIp, '--user', TEST_USER, '--password-stdin', '--json', ...c.args], {
        env: dirs.env,
        password: TEST_PASSWORD,
      });
      const connected = (await run.waitForJson(isEvent('connected'), 30_000, 'connected')) as unknown as ConnectedInfo;
      const connectMs = since(t0);
      expect(run.invalid).toEqual([]);
      expect(connected.auth).toMatch(c.auth);
      expect(connected.remoteIp).toBe(vm.pppServerIp);
      if (c.serverLog) {
        const line = await vm.waitForLog(c.serverLog, 10_000, mark);
        const serverMode = c.serverLog.exec(line)?.[1];
        expect(connected.mppe).toEqual(c.mppe === 'as-server-logged' ? { bits: 128, stateful: serverMode === 'stateful' } : c.mppe);
      } else {
        expect(connected.mppe).toEqual(c.mppe);
        expect(vm.log().slice(mark)).not.toMatch(/MPPE \d+-bit/);
      }

      const up = randomBytes(TRANSFER_BYTES);
      const t1 = performance.now();
      const digest = await tcpExchange(vm.netns, vm.pppServerIp, vm.services.uploadMd5, up, { timeoutMs: 90_000 });
      expect(digest.toString().trim()).toBe(`${md5Hex(up)}  -`);
      const down = await tcpExchange(vm.netns, vm.pppServerIp, vm.services.sizedDownload, `${TRANSFER_BYTES}\n`, { timeoutMs: 90_000 });
      expect(down.length).toBe(TRANSFER_BYTES);
      expect(md5Hex(down)).toBe(md5Hex(sizedPayload(TRANSFER_BYTES)));
      console.log(`[presets] ${c.name}: connected in ${connectMs} ms, ${TRANSFER_BYTES} B up + down in ${since(t1)} ms`);

      const d = await runPptpctl(vm.netns, ['disconnect'], { env: dirs.env, timeoutMs: 30_000 });
      expect(d.code, d.stdout + d.stderr).toBe(0);
      expect(await run.waitExit(15_000)).toEqual({ code: 0, signal: null });
      expect(run.json.at(-1)).toMatchObject({ event: 'disconnected', restored: true });
      expect(await netnsNetState(vm.netns)).toEqual(before);
      await vm.waitForLog(/pppd\[\d+\]: Connection terminated/, 10_000, mark);
    });
  }

  for (const c of REFUSED_CASES) {
    it(c.name, async () => {
      await usePreset(vm, c.preset);
      const r = await runPptpctl(vm.netns, ['connect', '--server', vm.serverIp, '--user', TEST_USER, '--password-stdin', '--json', ...c.args], {
        env: dirs.env,
        input: `${TEST_PASSWORD}\n`,
        timeoutMs: 60_000,
      });
      const transcript = `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
      expect(r.code, transcript).toBe(7);
      expect(r.json.find(isEvent('error')), transcript).toMatchObject({ reason: 'encryption-refused' });
      expect(r.json.some(isEvent('connected')), transcript).toBe(false);
      expect(r.json.at(-1), transcript).toMatchObject({ event: 'disconnected', restored: true });
      expect(await netnsNetState(vm.netns)).toEqual(before);
    });
  }
});
