/**
 * A real PPTP server for tests: Debian's pptpd 1.4 + pppd 2.4.9 in a user-mode-linux VM, reachable
 * only from a private network namespace. See test/interop/README.md.
 *
 * Owns: one VM's lifecycle: image (vm-image.ts), namespace (vm/netns.sh), per-run config written
 * to a host directory the VM mounts with hostfs, the UML process, its console log, and teardown
 * (also on process exit). Must not: touch the host's routes, DNS or interfaces, or send traffic
 * outside 10.77.0.0/24 and 192.168.77.0/24.
 *
 * Topology: netns <name>: br0 10.77.0.2/24 (the client under test) + tap0 -> VM eth0 10.77.0.1.
 * pptpd: localip 192.168.77.1, pool 192.168.77.10-20. Test services: see VM_SERVICES.
 *
 *   const vm = await startPptpdVm({ preset: 'mppeStateful' });
 *   try { ... spawnInNetns(vm.netns, 'node', ['dist/pptpctl.mjs', 'connect', '--server', vm.serverIp, ...]) ...
 *         await vm.waitForLog(/local  IP address 192\.168\.77\.1/, 10_000); }
 *   finally { await vm.stop(); }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePptpdImage, type PptpdImage } from './vm-image';
import { renderAccelConfig, type AccelServerConfig } from './accel-config';
import { createTestNetns, deleteTestNetns, deleteTestNetnsSync, listNetns, tcpExchange, tcpConnects } from './netns';
import {
  CLIENT_IP,
  PPP_POOL_FIRST,
  PPP_POOL_LAST,
  PPP_SERVER_IP,
  PPTPD_PRESETS,
  SERVER_IP,
  VM_SERVICES,
  renderServerConfig,
  type PptpdPresetName,
  type PptpdServerConfig,
} from './pptpd-config';

export * from './pptpd-config';
export { runInNetns, spawnInNetns, tcpExchange, tcpConnects, listNetns, type NetnsRunOptions, type NetnsRunResult } from './netns';
export { requireInteropPrereqs, checkInteropPrereqs, type InteropPrereqs } from './prereqs';
export { ensurePptpdImage, type PptpdImage, type PptpdImageManifest } from './vm-image';
export { payloadFile, sizedPayload, md5Hex, PAYLOAD_FILE_SIZE } from './payload';
export * from './accel-config';

/** Printed by init.sh once pptpd listens on TCP 1723. */
const READY_MARKER = 'pptpd-vm: PPTPD-VM READY';

export interface PptpdVmOptions extends PptpdServerConfig {
  /** Namespace name (also the VM's umid); default pptp-it-<pid>-<n>. At most 40 of [A-Za-z0-9_.-]. */
  name?: string;
  /** Start from a named preset; the other fields here override its files. Default 'default'. */
  preset?: PptpdPresetName;
  /** How long to wait for the VM to be ready; default 60 s. */
  bootTimeoutMs?: number;
  /** Guest memory; default 256 MiB. */
  memMb?: number;
  /**
   * Run accel-ppp instead of pptpd: `root` is a staged build (support/accel-build.ts), the rest
   * its configuration (accel-config.ts). The pptpd fields above are then ignored.
   */
  accel?: AccelServerConfig & { root: string };
}

export interface PptpdExecResult {
  /** The script's exit status inside the VM. */
  code: number;
  /** stdout and stderr, interleaved. */
  output: string;
}

export interface PptpdVm {
  readonly name: string;
  /** Which server answers on 1723. */
  readonly server: 'pptpd' | 'accel-ppp';
  /** The client-under-test's namespace: run the client with runInNetns/spawnInNetns(vm.netns, ...). */
  readonly netns: string;
  readonly serverIp: '10.77.0.1';
  readonly clientIp: '10.77.0.2';
  readonly pppServerIp: '192.168.77.1';
  /** Address pool pptpd hands out (the first session gets `first`). */
  readonly pppPool: { readonly first: string; readonly last: string };
  readonly services: typeof VM_SERVICES;
  /** What the download service (port 7001) sends. */
  readonly payload: { readonly size: number; readonly md5: string };
  /** The files the server was started with (pptpd.conf, pptpd-options, chap-secrets, pap-secrets; or accel-ppp.conf, chap-secrets). */
  readonly config: Readonly<Record<string, string>>;
  readonly image: PptpdImage;
  /** Spawn to ready (pptpd listening and the test link working), ms. */
  readonly bootMs: number;
  /** Console log so far (kernel, init, syslog: pptpd/pppd with `debug`), CR stripped. Works after stop(). */
  log(): string;
  /** Current end of the log: pass to waitForLog to match only what comes after. */
  logMark(): number;
  /**
   * Resolves with the first log line matching `re` at or after offset `from` (default 0);
   * rejects after `timeoutMs` (default 10 s) with the log tail.
   */
  waitForLog(re: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** Runs a shell script inside the VM (busybox sh, as root) through the exec service. */
  exec(script: string, timeoutMs?: number): Promise<PptpdExecResult>;
  /** Kills the VM, deletes the namespace (bridge, tap) and /etc/netns/<name>. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<{ cleanupSync(): void }>();
let exitHookInstalled = false;
let counter = 0;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const vm of live) vm.cleanupSync();
  });
}

/** Boots a pptpd VM in a fresh namespace. Rejects (after cleaning up) with the console tail on failure. */
export async function startPptpdVm(opts: PptpdVmOptions = {}): Promise<PptpdVm> {
  const image = await ensurePptpdImage();
  await reapStaleVms(image);
  const name = opts.name ?? `pptp-it-${process.pid}-${++counter}`;
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(name)) throw new Error(`bad VM/netns name ${JSON.stringify(name)}`);
  if (listNetns().includes(name)) throw new Error(`network namespace ${name} already exists`);

  const preset: PptpdServerConfig = PPTPD_PRESETS[opts.preset ?? 'default'];
  const merged: PptpdServerConfig = {
    pppOptions: opts.pppOptions ?? preset.pppOptions,
    chapSecrets: opts.chapSecrets ?? preset.chapSecrets,
    papSecrets: opts.papSecrets ?? preset.papSecrets,
    pptpdConf: opts.pptpdConf ?? preset.pptpdConf,
    extraInit: opts.extraInit ?? preset.extraInit,
  };
  const config = opts.accel ? renderAccelConfig(opts.accel) : renderServerConfig(merged);

  // A short path under the temp dir: UML puts unix sockets in uml_dir (108-byte sun_path limit).
  const runDir = mkdtempSync(path.join(os.tmpdir(), `pptpd-vm-${name}-`));
  const cfgDir = path.join(runDir, 'cfg');
  const umlDir = path.join(runDir, 'uml');
  const consolePath = path.join(runDir, 'console.log');
  mkdirSync(umlDir);
  writeFiles(cfgDir, config);

  let child: ChildProcess | undefined;
  let finalLog: string | undefined;
  let stopped = false;
  let exited = false;

  const readLog = (): string => {
    if (finalLog !== undefined) return finalLog;
    try {
      return readFileSync(consolePath, 'utf8').replace(/\r/g, '');
    } catch {
      return '';
    }
  };
  const tail = (n = 40) => readLog().split('\n').slice(-n).join('\n');

  const umlPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(path.join(umlDir, name, 'pid'), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return child?.pid;
    }
  };

  /** linux.uml processes we started: the main pid and its descendants running our kernel binary. */
  const ourUmlProcesses = (): number[] => {
    const root = umlPid() ?? child?.pid;
    if (root === undefined) return [];
    const children = new Map<number, number[]>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const list = children.get(ppid) ?? [];
        list.push(Number(entry));
        children.set(ppid, list);
      } catch {
        // gone
      }
    }
    const out: number[] = [];
    const walk = (pid: number) => {
      out.push(pid);
      for (const c of children.get(pid) ?? []) walk(c);
    };
    walk(root);
    return out.filter((pid) => {
      try {
        return path.resolve(readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '')) === path.resolve(image.linux);
      } catch {
        return false;
      }
    });
  };

  const killAll = () => {
    for (const pid of ourUmlProcesses()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  const handle = {
    cleanupSync: () => {
      killAll();
      deleteTestNetnsSync(name);
      rmSync(runDir, { recursive: true, force: true });
    },
  };

  const teardown = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const procs = ourUmlProcesses();
      if (procs.length === 0 && (exited || child === undefined)) break;
      killAll();
      await sleep(50);
    }
    finalLog = readLog();
    live.delete(handle);
    await deleteTestNetns(name);
    rmSync(runDir, { recursive: true, force: true });
  };

  installExitHook();
  live.add(handle);
  const started = performance.now();
  try {
    await createTestNetns(name);
    const consoleFd = openSync(consolePath, 'w');
    const args = [
      'netns',
      'exec',
      name,
      image.linux,
      `umid=${name}`,
      `uml_dir=${umlDir}`,
      `mem=${opts.memMb ?? 256}M`,
      `initrd=${image.initrd}`,
      // gro=1: without it TCP through UML crawls at ~3-4 Mbit/s (pptpd-peer.md).
      'vec0:transport=tap,ifname=tap0,mac=52:54:00:77:00:01,gro=1',
      'con0=null,fd:1',
      'con=null',
      'ssl=null',
      `pptpcfg=${cfgDir}`,
      ...(opts.accel ? [`accelroot=${opts.accel.root}`] : []),
    ];
    // detached: own session (setsid), so a Ctrl-C of the test runner does not reach the kernel first.
    child = spawn('ip', args, { detached: true, stdio: ['ignore', consoleFd, consoleFd] });
    closeSync(consoleFd);
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', () => {
      exited = true;
    });

    const bootTimeout = opts.bootTimeoutMs ?? 60_000;
    const readyBy = Date.now() + bootTimeout;
    while (!readLog().includes(READY_MARKER)) {
      if (exited) throw new Error('the VM exited during boot');
      if (Date.now() > readyBy) throw new Error(`the VM was not ready after ${bootTimeout} ms`);
      await sleep(50);
    }
    const notListening = /pptpd-vm: (pptpd|accel-ppp|accel-pppd) did not start listening|pptpd-vm: cannot mount or copy accel-ppp/.exec(readLog());
    if (notListening) throw new Error(`the server did not start: ${notListening[0]}`);
    // The link works from the namespace (echo service, so pptpd's log has no probe connection in it).
    const echoed = await tcpExchange(name, SERVER_IP, VM_SERVICES.echo, 'ping\n', { timeoutMs: Math.max(5_000, readyBy - Date.now()) });
    if (echoed.toString() !== 'ping\n') throw new Error(`echo service answered ${JSON.stringify(echoed.toString())}`);
  } catch (e) {
    const log = tail();
    await teardown().catch(() => undefined);
    throw new Error(`pptpd VM ${name} failed to start: ${(e as Error).message}\n--- console tail ---\n${log}`);
  }
  const bootMs = Math.round(performance.now() - started);

  const vm: PptpdVm = {
    name,
    server: opts.accel ? 'accel-ppp' : 'pptpd',
    netns: name,
    serverIp: SERVER_IP,
    clientIp: CLIENT_IP,
    pppServerIp: PPP_SERVER_IP,
    pppPool: { first: PPP_POOL_FIRST, last: PPP_POOL_LAST },
    services: VM_SERVICES,
    payload: { size: image.manifest.payload.size, md5: image.manifest.payload.md5 },
    config,
    image,
    bootMs,
    log: readLog,
    logMark: () => readLog().length,
    async waitForLog(re: RegExp, timeoutMs = 10_000, from = 0): Promise<string> {
      const by = Date.now() + timeoutMs;
      const flags = re.flags.replace('g', '').replace('y', '');
      const search = new RegExp(re.source, flags);
      while (true) {
        const text = readLog();
        const m = search.exec(text.slice(from));
        if (m) {
          const at = from + m.index;
          const start = text.lastIndexOf('\n', at - 1) + 1;
          const endNl = text.indexOf('\n', at + Math.max(m[0].length - 1, 0));
          return text.slice(start, endNl === -1 ? text.length : endNl);
        }
        if (Date.now() > by || stopped) {
          throw new Error(`no log line matching ${re} within ${timeoutMs} ms\n--- console tail ---\n${tail()}`);
        }
        await sleep(50);
      }
    },
    async exec(script: string, timeoutMs = 30_000): Promise<PptpdExecResult> {
      const out = (await tcpExchange(name, SERVER_IP, VM_SERVICES.exec, script, { timeoutMs })).toString('utf8');
      const m = /__EXIT=(\d+)\n?$/.exec(out);
      if (!m) throw new Error(`exec service reply has no exit status: ${JSON.stringify(out.slice(-200))}`);
      return { code: Number(m[1]), output: out.slice(0, m.index) };
    },
    stop: teardown,
  };
  return vm;
}

/**
 * Cleans up after test processes that died without stop(): for every namespace named
 * pptp-it-<pid>-<n> whose <pid> is no longer running, kills the UML processes started with
 * umid=<that name> from this image cache, deletes the namespace and its temp run directory.
 * Returns the names it cleaned.
 */
export async function reapStaleVms(image?: PptpdImage): Promise<string[]> {
  const cacheRoot = path.dirname((image ?? (await ensurePptpdImage())).dir);
  const stale = listNetns().filter((n) => {
    const m = /^pptp-it-(\d+)-\d+$/.exec(n);
    return m !== null && !existsSync(`/proc/${m[1]}`);
  });
  for (const name of stale) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if ((argv[0] ?? '').startsWith(cacheRoot + path.sep) && argv.includes(`umid=${name}`)) process.kill(Number(entry), 'SIGKILL');
      } catch {
        // gone
      }
    }
    await deleteTestNetns(name);
    for (const d of readdirSync(os.tmpdir())) {
      if (d.startsWith(`pptpd-vm-${name}-`)) rmSync(path.join(os.tmpdir(), d), { recursive: true, force: true });
    }
  }
  return stale;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content, { mode: 0o600 });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** For by-hand use and checks: does TCP 1723 on the server answer from inside the namespace? */
export function pptpPortOpen(vm: Pick<PptpdVm, 'netns' | 'serverIp'>, timeoutMs = 3_000): Promise<boolean> {
  return tcpConnects(vm.netns, vm.serverIp, 1723, timeoutMs);
}
