/**
 * `npm run demo`: the whole product in one run, on a fresh Linux machine, as root.
 *
 * Builds (or takes from the cache) the pptpd VM image, boots Debian's pptpd + pppd in a
 * user-mode-linux VM inside a private network namespace, runs the real `pptpctl connect` there
 * (human output: the phase timeline), pings through the tunnel, moves a few MiB each way with
 * md5 checks, shows the traffic statistics, disconnects, checks that the namespace's routes and
 * DNS are exactly as before, and tears everything down. Every step prints ✓ or ✗; the last line
 * is the verdict (`DEMO PASSED ...` / `DEMO FAILED ...`), and the exit code is 0 only when
 * every step passed.
 *
 * Never touches the host's own routes or DNS: pptpctl runs inside the namespace, and the demo
 * compares the host's routes and resolv.conf before and after to prove it.
 */
import { randomBytes } from 'node:crypto';
import {
  TEST_PASSWORD,
  TEST_USER,
  checkInteropPrereqs,
  ensurePptpdImage,
  listNetns,
  md5Hex,
  runInNetns,
  sizedPayload,
  startPptpdVm,
  tcpExchange,
  type PptpdVm,
} from './support/pptpd-vm';
import {
  hostNetState,
  makeCliDirs,
  nameservers,
  netnsNetState,
  pptpctlAvailable,
  pptpctlCommand,
  runPptpctl,
  since,
  startConnect,
  stopConnect,
  type CliDirs,
  type ConnectRun,
  type NetnsNetState,
} from './support/cli-runner';

const TRANSFER_BYTES = 4 * 1024 * 1024;

interface StepOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

const outcomes: StepOutcome[] = [];
const out = (line = '') => process.stdout.write(`${line}\n`);
const indent = (text: string, prefix = '    │ ') =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => `${prefix}${l}`)
    .join('\n');

function fmt(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Runs one step: prints its name, then ✓ with what it found or ✗ with why. Returns whether it passed. */
async function step(name: string, fn: () => Promise<string>): Promise<boolean> {
  out(`→ ${name}`);
  const t0 = performance.now();
  try {
    const detail = await fn();
    const ms = since(t0);
    outcomes.push({ name, ok: true, detail, ms });
    out(`  ✓ ${detail} (${fmt(ms)})`);
    return true;
  } catch (e) {
    const ms = since(t0);
    const message = (e as Error).message.split('\n');
    outcomes.push({ name, ok: false, detail: message[0] ?? 'failed', ms });
    out(`  ✗ ${message[0] ?? 'failed'}`);
    if (message.length > 1) out(indent(message.slice(1).join('\n').slice(-3000), '    '));
    return false;
  }
}

function skip(name: string, why: string): void {
  outcomes.push({ name, ok: false, detail: `skipped: ${why}`, ms: 0 });
  out(`→ ${name}\n  ✗ skipped: ${why}`);
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function sameState(a: NetnsNetState, b: NetnsNetState): string | undefined {
  const diffs: string[] = [];
  const missing = a.routes.filter((r) => !b.routes.includes(r));
  const extra = b.routes.filter((r) => !a.routes.includes(r));
  if (missing.length) diffs.push(`routes gone: ${missing.join(' ')}`);
  if (extra.length) diffs.push(`routes added: ${extra.join(' ')}`);
  if (a.links.join('\n') !== b.links.join('\n')) diffs.push('links/addresses differ');
  if (a.resolvConf !== b.resolvConf) diffs.push(`resolv.conf differs: ${JSON.stringify(b.resolvConf)}`);
  return diffs.length ? diffs.join('; ') : undefined;
}

async function main(): Promise<number> {
  const started = performance.now();
  out('PPTP Manager demo: pptpctl (userspace PPTP/GRE/PPP/MPPE) ↔ Debian pptpd 1.4 + pppd 2.4.9');
  out('Everything runs in a private network namespace; this machine’s own routes and DNS are not touched.');
  out();

  let vm: PptpdVm | undefined;
  let dirs: CliDirs | undefined;
  let run: ConnectRun | undefined;
  let hostBefore: NetnsNetState | undefined;
  let nsBefore: NetnsNetState | undefined;
  let tunName = '';

  const cleanup = async () => {
    await stopConnect(run);
    await vm?.stop();
    dirs?.cleanup();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    out(`\n${sig}: cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const prereqsOk = await step('Check prerequisites (root, /dev/net/tun, namespaces, tools, pptpctl)', async () => {
      const pre = checkInteropPrereqs();
      if (!pre.ok) throw new Error(pre.why);
      assert(pptpctlAvailable(), 'main/cli.ts (pptpctl) is missing');
      hostBefore = await hostNetState();
      const cmd = pptpctlCommand();
      return `ok; pptpctl runs from ${cmd.kind === 'bundle' ? 'dist/pptpctl.mjs' : 'main/cli.ts via tsx'}`;
    });
    if (!prereqsOk) return verdict(started);

    const imageOk = await step('Build the pptpd VM image (Debian packages; cached after the first run)', async () => {
      const image = await ensurePptpdImage();
      return `${image.cached ? 'from cache' : 'built'}: ${image.dir}`;
    });
    if (!imageOk) return verdict(started);

    const bootOk = await step('Boot pptpd in a user-mode-linux VM on a private network', async () => {
      vm = await startPptpdVm();
      dirs = makeCliDirs('pptpctl-demo');
      nsBefore = await netnsNetState(vm.netns);
      return `namespace ${vm.netns}: client 10.77.0.2 ↔ server ${vm.serverIp}, ready in ${fmt(vm.bootMs)}`;
    });
    if (!bootOk || !vm || !dirs) return verdict(started);
    const v = vm;
    const d = dirs;

    const connectOk = await step(`pptpctl connect --server ${v.serverIp} --user ${TEST_USER} --password-stdin --stats 1`, async () => {
      const mark = v.logMark();
      run = startConnect(v.netns, ['--server', v.serverIp, '--user', TEST_USER, '--password-stdin', '--stats', '1'], {
        env: d.env,
        password: TEST_PASSWORD,
      });
      const r = run;
      let shown = 0;
      const show = () => {
        while (shown < r.lines.length) out(`    │ ${r.lines[shown++]}`);
      };
      const ticker = setInterval(show, 50);
      try {
        await r.waitForLine(/^Connected in /, 30_000);
        await new Promise((res) => setTimeout(res, 100));
        show();
      } finally {
        clearInterval(ticker);
      }
      const summary = r.lines.slice(r.lines.findIndex((l) => l.startsWith('Connected in '))).join(' ');
      tunName = / on (\S+),/.exec(summary)?.[1] ?? '';
      const mppe = await v.waitForLog(/pppd\[\d+\]: MPPE \d+-bit \S+ compression enabled/, 5_000, mark);
      // The server's end of the link takes packets once its ip-up script ran.
      await v.waitForLog(/pppd\[\d+\]: Script \/etc\/ppp\/ip-up finished/, 10_000, mark);
      return `tunnel up; the server’s pppd says: “${mppe.replace(/^.*pppd\[\d+\]: /, '')}”`;
    });

    if (connectOk) {
      await step(`ping ${v.pppServerIp} (the server’s tunnel address) through the tunnel`, async () => {
        const route = await runInNetns(v.netns, 'ip', ['-j', 'route', 'get', v.pppServerIp]);
        const dev = (JSON.parse(route.stdout) as { dev?: string }[])[0]?.dev;
        assert(!tunName || dev === tunName, `the route to ${v.pppServerIp} goes through ${dev}, not the tunnel ${tunName}`);
        const ping = await runInNetns(v.netns, 'ping', ['-c', '3', '-W', '2', v.pppServerIp], { timeoutMs: 20_000 });
        assert(ping.code === 0, `ping failed: ${ping.stdout}${ping.stderr}`);
        const rtt = /= [\d.]+\/([\d.]+)\//.exec(ping.stdout)?.[1];
        return `3 of 3 answered via ${dev}${rtt ? `, average ${rtt} ms` : ''}`;
      });

      await step('DNS pushed by the server is in use inside the namespace', async () => {
        const resolv = await runInNetns(v.netns, 'cat', ['/etc/resolv.conf']);
        const servers = nameservers(resolv.stdout);
        assert(servers.includes(v.pppServerIp), `resolv.conf has ${servers.join(', ') || 'no nameserver'}`);
        return `nameserver ${servers.join(', ')}`;
      });

      await step(`Upload ${TRANSFER_BYTES / 1048576} MiB through the tunnel (server returns its md5)`, async () => {
        const data = randomBytes(TRANSFER_BYTES);
        const t0 = performance.now();
        const reply = (await tcpExchange(v.netns, v.pppServerIp, v.services.uploadMd5, data, { timeoutMs: 120_000 })).toString().trim();
        const ms = since(t0);
        const want = md5Hex(data);
        assert(reply === `${want}  -`, `md5 mismatch: sent ${want}, server got ${reply}`);
        return `md5 ${want} matches, ${((TRANSFER_BYTES * 8) / ms / 1000).toFixed(1)} Mbit/s`;
      });

      await step(`Download ${TRANSFER_BYTES / 1048576} MiB through the tunnel (md5 checked)`, async () => {
        const t0 = performance.now();
        const data = await tcpExchange(v.netns, v.pppServerIp, v.services.sizedDownload, `${TRANSFER_BYTES}\n`, { timeoutMs: 120_000 });
        const ms = since(t0);
        const want = md5Hex(sizedPayload(TRANSFER_BYTES));
        assert(data.length === TRANSFER_BYTES, `got ${data.length} bytes, expected ${TRANSFER_BYTES}`);
        assert(md5Hex(data) === want, `md5 mismatch: expected ${want}, got ${md5Hex(data)}`);
        return `md5 ${want} matches, ${((TRANSFER_BYTES * 8) / ms / 1000).toFixed(1)} Mbit/s`;
      });

      await step('Traffic statistics from pptpctl (--stats)', async () => {
        const r = run!;
        const from = r.lines.length;
        await r.waitForLine(/^\s*up .* rx .* tx /, 5_000);
        // Wait for a fresh line so it counts the transfers just made.
        const deadline = Date.now() + 3_000;
        while (r.lines.length === from && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
        const line = [...r.lines].reverse().find((l) => /^\s*up .* rx .* tx /.test(l));
        assert(line, 'no stats line');
        return line.trim();
      });

      await step('pptpctl disconnect', async () => {
        const r = run!;
        const disc = await runPptpctl(v.netns, ['disconnect'], { env: d.env, timeoutMs: 30_000 });
        assert(disc.code === 0, `pptpctl disconnect exited ${disc.code}: ${disc.stdout}${disc.stderr}`);
        const exit = await r.waitExit(15_000);
        for (const l of r.lines.slice(r.lines.findIndex((x) => x.startsWith('Disconnected')))) out(`    │ ${l}`);
        assert(exit.code === 0, `pptpctl connect exited ${exit.code ?? exit.signal}\n${r.stderr()}`);
        const last = r.lines.filter((l) => l.trim() !== '').at(-1) ?? '';
        assert(/network restored/.test(last), `pptpctl’s last line: ${last}`);
        return 'the tunnel is down and pptpctl exited 0';
      });

      await step('Routes, addresses and DNS in the namespace are exactly as before', async () => {
        const diff = sameState(nsBefore!, await netnsNetState(v.netns));
        assert(diff === undefined, diff ?? '');
        return `${nsBefore!.routes.length} routes, ${nsBefore!.links.length} links and resolv.conf identical`;
      });
    } else {
      for (const name of ['ping', 'DNS', 'upload', 'download', 'statistics', 'disconnect', 'restore']) skip(name, 'not connected');
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (vm) {
      await step('Tear down: stop the VM, delete the namespace', async () => {
        const name = vm!.netns;
        await cleanup();
        assert(!listNetns().includes(name), `namespace ${name} still exists`);
        return `VM stopped, namespace ${name} removed`;
      });
    }
    if (hostBefore) {
      await step('This machine’s own routes and DNS are untouched', async () => {
        const diff = sameState(hostBefore!, await hostNetState());
        assert(diff === undefined, diff ?? '');
        return 'host routes, links and /etc/resolv.conf identical to before';
      });
    }
  }
  return verdict(started);
}

function verdict(started: number): number {
  const failed = outcomes.filter((o) => !o.ok);
  out();
  out('Summary:');
  for (const o of outcomes) out(`  ${o.ok ? '✓' : '✗'} ${o.name}${o.ok ? '' : ` — ${o.detail}`}`);
  out();
  if (failed.length === 0) {
    out(`✓ DEMO PASSED: all ${outcomes.length} steps passed in ${fmt(since(started))}`);
    return 0;
  }
  out(`✗ DEMO FAILED: ${failed.length} of ${outcomes.length} steps failed (first: ${failed[0]!.name})`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    out(`✗ DEMO FAILED: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  },
);
