/**
 * The faults the soak injects, each only inside what the soak itself created: the client test
 * namespace (netem on its tap, nftables, `ss -K`, `ip link del`, its own resolv.conf), the UML
 * VM it booted (SIGSTOP/SIGCONT of that VM's processes, found by the VM's umid; pppd killed
 * through the VM's exec service) and load-generator processes it starts and ends by pid.
 *
 * Owns: how each fault is made and undone. Must not: touch the host's own namespace, or any
 * process it did not start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { blockGre, unblockGre } from '../../interop/support/firewall';
import { fileURLToPath } from 'node:url';
import { runInNetns, spawnInNetns } from '../../interop/support/netns';
import type { PptpdVm } from '../../interop/support/pptpd-vm';

/**
 * Children this module started and has not ended yet (busy loops, impair.py). If the soak exits
 * early (Ctrl-C: run.ts turns SIGINT/SIGTERM into process.exit), the exit hook kills them by pid,
 * as the VM helpers' own hook kills the VM: none may outlive the run.
 */
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of liveChildren) {
    try {
      if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function track(child: ChildProcess): ChildProcess {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

async function inNs(ns: string, cmd: string, args: string[]): Promise<void> {
  const r = await runInNetns(ns, cmd, args, { timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${ns} failed: ${r.stderr.trim()}`);
}

// ---- the path: a userspace netem (impair.py) between the VM's tap and the bridge -----------
// This machine's kernel has no sch_netem, so `tc qdisc ... netem` is impossible: the tap leaves
// br0, a veth pair takes its place, and impair.py forwards frames between the two both ways.

/** impair.py arguments, e.g. '--loss 5 --delay 20 --jitter 10'. */
export type Netem = string;

const IMPAIR = fileURLToPath(new URL('./impair.py', import.meta.url));

export class PathImpairment {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly ns: string) {}

  async start(spec: Netem): Promise<void> {
    await inNs(this.ns, 'ip', ['link', 'add', 'vimp0', 'type', 'veth', 'peer', 'name', 'vimp1']);
    await inNs(this.ns, 'ip', ['link', 'set', 'tap0', 'nomaster']);
    await inNs(this.ns, 'ip', ['link', 'set', 'vimp1', 'master', 'br0']);
    await inNs(this.ns, 'ip', ['link', 'set', 'vimp0', 'up']);
    await inNs(this.ns, 'ip', ['link', 'set', 'vimp1', 'up']);
    this.child = track(spawnInNetns(this.ns, 'python3', [IMPAIR, 'tap0', 'vimp0', ...spec.split(' ')], { stdio: ['ignore', 'pipe', 'pipe'] }));
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  /** Ends the forwarder (by its pid), puts the tap back on the bridge; returns its counters. */
  async stop(): Promise<string> {
    const c = this.child;
    this.child = undefined;
    if (c?.pid !== undefined && c.exitCode === null) {
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      process.kill(c.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
      if (c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    }
    await runInNetns(this.ns, 'ip', ['link', 'del', 'vimp0']);
    await inNs(this.ns, 'ip', ['link', 'set', 'tap0', 'master', 'br0']);
    return this.output.trim();
  }
}

// ---- CPU saturation: busy loops we start and end by pid ---------------------------------------

export class CpuLoad {
  private readonly children: ChildProcess[] = [];

  start(processes: number): void {
    for (let i = 0; i < processes; i++) {
      this.children.push(track(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' })));
    }
  }

  stop(): void {
    for (const c of this.children.splice(0)) {
      if (c.pid !== undefined && c.exitCode === null) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

// ---- the server VM ----------------------------------------------------------------------------

/**
 * The VM's kernel process: the linux.uml process we booted (its umid is the namespace name)
 * whose parent is not one of its own. Only it is stopped: its other processes are the guest's
 * address spaces, which it ptraces, and stopping those from outside kills the VM.
 */
function vmRootPid(vm: PptpdVm): number | undefined {
  const ours = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0] !== vm.image.linux || !argv.includes(`umid=${vm.name}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      ours.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  return [...ours.entries()].find(([, ppid]) => !ours.has(ppid))?.[0];
}

export function pauseVm(vm: PptpdVm): void {
  const pid = vmRootPid(vm);
  if (pid === undefined) throw new Error('the server VM is not running');
  process.kill(pid, 'SIGSTOP');
}

export function resumeVm(vm: PptpdVm): void {
  const pid = vmRootPid(vm);
  if (pid !== undefined) process.kill(pid, 'SIGCONT');
}

/** True while the VM's side of the link is up (the VM holds tap0 open). */
export async function vmAlive(ns: string): Promise<boolean> {
  const r = await runInNetns(ns, 'ip', ['-j', 'link', 'show', 'dev', 'tap0']);
  return r.code === 0 && !r.stdout.includes('NO-CARRIER');
}

/** The server's pppd (every one) killed with SIGKILL: no LCP Terminate, pptpctrl sees it die. */
export async function killServerPppd(vm: PptpdVm): Promise<void> {
  await vm.exec('kill -9 $(pidof pppd) 2>/dev/null; true', 15_000);
}

// ---- the client namespace ---------------------------------------------------------------------

/** Resets the control connection: `ss -K` destroys the socket to 1723 (the kernel sends RST). */
export async function resetControlTcp(ns: string): Promise<void> {
  await inNs(ns, 'ss', ['-K', 'dst', '10.77.0.1', 'dport', '=', '1723']);
}

export async function blackholeGre(ns: string): Promise<void> {
  await blockGre(ns);
}

export async function unblackholeGre(ns: string): Promise<void> {
  await unblockGre(ns);
}

/** Deletes the TUN from outside, as another tool or an admin would. */
export async function deleteTun(ns: string, tunName: string): Promise<void> {
  await runInNetns(ns, 'ip', ['link', 'del', 'dev', tunName]);
}

export const FOREIGN_RESOLV_CONF = '# written by another process during the soak\nnameserver 10.77.0.53\n';
export const FOREIGN_ROUTE = '10.99.0.0/24';

/** Another process rewrites resolv.conf (in the namespace's own file). */
export async function rewriteResolvConf(ns: string, content = FOREIGN_RESOLV_CONF): Promise<void> {
  await runInNetns(ns, 'sh', ['-c', `cat > /etc/resolv.conf`], { input: content });
}

/** Another process adds a route of its own on the outer link. */
export async function addForeignRoute(ns: string): Promise<void> {
  await inNs(ns, 'ip', ['route', 'add', FOREIGN_ROUTE, 'dev', 'br0']);
}

export async function delForeignRoute(ns: string): Promise<void> {
  await runInNetns(ns, 'ip', ['route', 'del', FOREIGN_ROUTE, 'dev', 'br0']);
}

/** Another process deletes one of the tunnel's routes. */
export async function deleteTunnelRoute(ns: string, dst: string, tunName: string): Promise<void> {
  await runInNetns(ns, 'ip', ['route', 'del', dst, 'dev', tunName]);
}
