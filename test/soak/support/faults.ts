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
import { runInNetns } from '../../interop/support/netns';
import type { PptpdVm } from '../../interop/support/pptpd-vm';

async function inNs(ns: string, cmd: string, args: string[]): Promise<void> {
  const r = await runInNetns(ns, cmd, args, { timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${ns} failed: ${r.stderr.trim()}`);
}

// ---- the path: netem on tap0 (the client's side of the VM link; shapes client → server) -------

export type Netem = string;

export async function setNetem(ns: string, spec: Netem | null): Promise<void> {
  await runInNetns(ns, 'tc', ['qdisc', 'del', 'dev', 'tap0', 'root']);
  if (spec !== null) await inNs(ns, 'tc', ['qdisc', 'add', 'dev', 'tap0', 'root', 'netem', ...spec.split(' ')]);
}

// ---- CPU saturation: busy loops we start and end by pid ---------------------------------------

export class CpuLoad {
  private readonly children: ChildProcess[] = [];

  start(processes: number): void {
    for (let i = 0; i < processes; i++) {
      this.children.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
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

/** The linux.uml processes of the VM we booted (its umid is the namespace name). */
function vmPids(vm: PptpdVm): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0] === vm.image.linux && argv.includes(`umid=${vm.name}`)) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

export function pauseVm(vm: PptpdVm): void {
  for (const pid of vmPids(vm)) process.kill(pid, 'SIGSTOP');
}

export function resumeVm(vm: PptpdVm): void {
  for (const pid of vmPids(vm)) process.kill(pid, 'SIGCONT');
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
