/**
 * The network journal: a small JSON file that records every change to routes, DNS and the TUN
 * link BEFORE it is made, so a crash or kill -9 can be undone at the next start.
 *
 * Every write is atomic and durable: write a temp file, fsync it, rename it over the journal,
 * fsync the directory. The journal is deleted after a clean restore. A journal that cannot be
 * parsed is never trusted and never crashes anything: it is moved aside
 * (network-journal.json.corrupt-<time>) and reported.
 *
 * The journal also names its owner (pid, process start time, boot id), so recovery never undoes
 * the configuration of a tunnel that is still running in another process. Linux reads them from
 * /proc; macOS has no /proc, so it asks `ps -o lstart= -p PID` (ps(1)) and
 * `sysctl -n kern.bootsessionuuid` (a UUID XNU draws at each boot) with fixed argv.
 *
 * Directory: `stateDir` option, else $PPTP_STATE_DIR, else /var/lib/pptp-manager (macOS:
 * /var/db/pptp-manager), mode 0700. Whichever it is, it is believed only when untrustedReason
 * finds it (and the journal) real, ours and not writable by others: a root process never acts
 * on a journal another user could have written, wherever an override pointed it.
 */
import { lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { UndoRecord } from './types';
import { dictionaryProblem, isOurKey } from './darwin/scutil';
import { isBsdInterfaceName, isInterfaceName, isIpv4, isMtu, isUtunName, parseCidr } from './validate';

export const JOURNAL_FILE = 'network-journal.json';
export const JOURNAL_VERSION = 1;
export const DEFAULT_STATE_DIR = '/var/lib/pptp-manager';

/** macOS keeps daemon state under /var/db (hier(7)); the launchd helper and `sudo pptpctl` share it. */
export const DARWIN_STATE_DIR = '/var/db/pptp-manager';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const fromEnv = env.PPTP_STATE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return platform === 'darwin' ? DARWIN_STATE_DIR : DEFAULT_STATE_DIR;
}

export interface JournalOwner {
  readonly pid: number;
  /**
   * Tells a live owner from a reused pid: /proc/<pid>/stat field 22 (clock ticks since boot) on
   * Linux, the `ps -o lstart=` text on macOS.
   */
  readonly startTime: string | null;
  readonly bootId: string | null;
}

export interface JournalContents {
  readonly version: number;
  readonly owner: JournalOwner;
  readonly tunName: string;
  /** Wall-clock ms when the configuration began (for humans reading the file). */
  readonly createdAt: number;
  readonly entries: readonly UndoRecord[];
}

export type JournalRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly journal: JournalContents }
  | { readonly kind: 'corrupt'; readonly reason: string };

const iface = z.string().refine(isInterfaceName, 'interface name');
const ipv4 = z.string().refine(isIpv4, 'IPv4 address');
const cidr = z.string().refine((s) => parseCidr(s)?.text === s, 'CIDR');
const sha = z.string().regex(/^[0-9a-f]{64}$/);
const absPath = z.string().min(2).max(4096).startsWith('/');
const utun = z.string().refine(isUtunName, 'utun interface name');
const scutilKey = z.string().refine(isOurKey, 'one of our own dynamic-store keys');
const scutilDictionary = z
  .record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]))
  .refine((dict) => dictionaryProblem(dict) === null, 'a dictionary of our own entries');

const undoRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link-mtu'), dev: iface, previousMtu: z.number().refine(isMtu, 'MTU') }),
  z.object({ kind: z.literal('link-address'), dev: iface, local: ipv4, peer: ipv4 }),
  z.object({ kind: z.literal('link-up'), dev: iface }),
  z.object({ kind: z.literal('route'), dest: cidr, via: ipv4.nullable(), dev: iface }),
  z.object({ kind: z.literal('resolved-link'), dev: iface }),
  z.object({
    kind: z.literal('resolv-conf'),
    path: absPath,
    mode: z.enum(['replace-file', 'replace-symlink', 'in-place', 'create']),
    target: absPath,
    backupFile: absPath.nullable(),
    backupSha256: sha.nullable(),
    writtenSha256: sha,
    symlinkTarget: z.string().min(1).max(4096).nullable(),
  }),
  // macOS (darwin/): only utun names, IPv4 / canonical CIDRs, BSD interface names and our own keys.
  z.object({ kind: z.literal('utun-mtu'), dev: utun, previousMtu: z.number().refine(isMtu, 'MTU') }),
  z.object({ kind: z.literal('utun-address'), dev: utun, local: ipv4, peer: ipv4 }),
  z.object({ kind: z.literal('utun-up'), dev: utun }),
  z.object({
    kind: z.literal('bsd-route'),
    dest: cidr,
    gateway: ipv4.nullable(),
    interface: z.string().refine(isBsdInterfaceName, 'BSD interface name').nullable(),
  }),
  z.object({ kind: z.literal('scutil-key'), key: scutilKey, previous: scutilDictionary.nullable() }),
]);

const journalSchema = z.object({
  version: z.literal(JOURNAL_VERSION),
  owner: z.object({ pid: z.number().int().positive(), startTime: z.string().nullable(), bootId: z.string().nullable() }),
  tunName: iface,
  createdAt: z.number(),
  entries: z.array(undoRecordSchema).max(1024),
});

/** Parses journal text; never throws. */
export function parseJournal(text: string): JournalRead {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'corrupt', reason: `not JSON: ${(error as Error).message}` };
  }
  const parsed = journalSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'corrupt', reason: `unexpected content at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { kind: 'ok', journal: parsed.data as JournalContents };
}

function readProcStartTime(pid: number): string | null {
  if (process.platform === 'darwin') return darwinStartTime(pid);
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

function readBootId(): string | null {
  if (process.platform === 'darwin') return darwinBootSessionUuid();
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** Runs a fixed binary with fixed argv; stdout, or null when it fails. */
export type ExecFileText = (file: string, args: readonly string[]) => string | null;

const execFileText: ExecFileText = (file, args) => {
  try {
    return execFileSync(file, [...args], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
  } catch {
    return null;
  }
};

/** macOS: `ps -o lstart= -p PID` prints the start time ("Mon Dec  7 15:43:01 2026"); empty for no such pid. */
export function darwinStartTime(pid: number, exec: ExecFileText = execFileText): string | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const text = exec('/bin/ps', ['-o', 'lstart=', '-p', String(pid)])?.trim();
  return text !== undefined && /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}$/.test(text) ? text : null;
}

/** macOS: `sysctl -n kern.bootsessionuuid`, a UUID that changes at every boot. */
export function darwinBootSessionUuid(exec: ExecFileText = execFileText): string | null {
  const text = exec('/usr/sbin/sysctl', ['-n', 'kern.bootsessionuuid'])?.trim();
  return text !== undefined && /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(text) ? text : null;
}

export function currentOwner(): JournalOwner {
  return { pid: process.pid, startTime: readProcStartTime(process.pid), bootId: readBootId() };
}

/** True when the owner is another process that is still running (same boot, same start time). */
export function ownerIsAlive(owner: JournalOwner): boolean {
  if (owner.pid === process.pid) return false;
  if (owner.bootId === null || owner.startTime === null) return false;
  if (owner.bootId !== readBootId()) return false;
  return readProcStartTime(owner.pid) === owner.startTime;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `path` atomically and durably (temp file, fsync, rename, fsync dir). */
export async function writeFileDurable(dir: string, name: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = join(dir, `.${name}.tmp-${process.pid}`);
  const handle = await open(tmp, 'w', mode);
  try {
    await handle.chmod(mode); // exact mode, whatever the umask
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

/**
 * Why the state directory or the journal in it must not be trusted, or null. The journal tells
 * a root process which routes to delete and which files to put back, so it is only believed
 * when nobody but this process's user could have written it: the directory and the journal are
 * real (not symlinks), owned by our effective uid, and not writable by group or others. This
 * holds for the default directory and for an override alike (PPTP_STATE_DIR, `--state-dir`), so
 * an override pointing at a directory another user controls changes nothing as root.
 */
export async function untrustedReason(dir: string, journalPath: string | null, euid: number | undefined = process.geteuid?.()): Promise<string | null> {
  const check = async (path: string, kind: 'directory' | 'file'): Promise<string | null> => {
    const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : error));
    if (stats === null) return null;
    if (stats instanceof Error) return `cannot inspect ${path}: ${stats.message}`;
    if (stats.isSymbolicLink()) return `${path} is a symbolic link`;
    if (kind === 'directory' ? !stats.isDirectory() : !stats.isFile()) return `${path} is not a ${kind}`;
    if (euid !== undefined && stats.uid !== euid) return `${path} is owned by uid ${stats.uid}, not by this process (uid ${euid})`;
    if ((stats.mode & 0o022) !== 0) return `${path} is writable by group or others (mode ${(stats.mode & 0o7777).toString(8)})`;
    return null;
  };
  return (await check(dir, 'directory')) ?? (journalPath === null ? null : await check(journalPath, 'file'));
}

/** The journal of one tunnel's configuration. Mutations write through before they return. */
export class NetworkJournal {
  readonly dir: string;
  readonly path: string;
  #contents: JournalContents | null = null;

  constructor(dir: string = defaultStateDir()) {
    this.dir = dir;
    this.path = join(dir, JOURNAL_FILE);
  }

  /** The in-memory copy of what was last written or read (null: no journal). */
  get contents(): JournalContents | null {
    return this.#contents;
  }

  async read(): Promise<JournalRead> {
    const untrusted = await untrustedReason(this.dir, this.path);
    if (untrusted !== null) {
      this.#contents = null;
      return { kind: 'corrupt', reason: `not trusted: ${untrusted}` };
    }
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#contents = null;
        return { kind: 'none' };
      }
      return { kind: 'corrupt', reason: `cannot read: ${(error as Error).message}` };
    }
    const result = parseJournal(text);
    this.#contents = result.kind === 'ok' ? result.journal : null;
    return result;
  }

  /** Moves an unreadable journal aside; returns where it went. */
  async keepAside(now: number = Date.now()): Promise<string> {
    const aside = `${this.path}.corrupt-${now}`;
    await rename(this.path, aside);
    await fsyncDir(this.dir);
    this.#contents = null;
    return aside;
  }

  async begin(tunName: string, owner: JournalOwner = currentOwner()): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const untrusted = await untrustedReason(this.dir, null);
    if (untrusted !== null) throw new Error(`refusing to keep the network journal there: ${untrusted}`);
    await this.#write({ version: JOURNAL_VERSION, owner, tunName, createdAt: Date.now(), entries: [] });
  }

  /** Records an undo record; call BEFORE making the change it undoes. */
  async append(entry: UndoRecord): Promise<void> {
    const current = this.#require();
    await this.#write({ ...current, entries: [...current.entries, entry] });
  }

  /** Forgets the last record (its change turned out not to be ours, e.g. the route already existed). */
  async dropLast(): Promise<void> {
    const current = this.#require();
    await this.#write({ ...current, entries: current.entries.slice(0, -1) });
  }

  /** Replaces the records (after a partial undo, the ones still to do). */
  async replaceEntries(entries: readonly UndoRecord[]): Promise<void> {
    const current = this.#require();
    await this.#write({ ...current, entries });
  }

  /** Deletes the journal (after a clean restore). Missing is fine. */
  async remove(): Promise<void> {
    try {
      await unlink(this.path);
      await fsyncDir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.#contents = null;
  }

  #require(): JournalContents {
    if (this.#contents === null) throw new Error('journal not begun');
    return this.#contents;
  }

  async #write(contents: JournalContents): Promise<void> {
    await writeFileDurable(this.dir, JOURNAL_FILE, `${JSON.stringify(contents, null, 2)}\n`);
    this.#contents = contents;
  }
}
