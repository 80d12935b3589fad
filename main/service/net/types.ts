/**
 * The network-configuration contract: the plan (a value), its steps, the undo records the
 * journal keeps, the typed error, and the NetworkConfigurator interface every OS implements
 * (Linux with iproute2, macOS with ifconfig/route/scutil; Windows Wintun later).
 *
 * Owns only types and the error constructor; no I/O.
 */
import type { Result } from '../../engine/wire/result';
import type { Failure } from '../../engine/failure';

/** 'default': full tunnel (two /1 routes); 'none': no routes; a list: only these CIDRs. */
export type RoutesMode = 'default' | 'none' | readonly string[];

export interface NetworkPlanInput {
  /** The PPTP server's IPv4 address (gets a host route through the path that reached it before). */
  readonly serverIp: string;
  /** The TUN interface, as the kernel named it. */
  readonly tunName: string;
  /** Our address from IPCP. */
  readonly localIp: string;
  /** The peer's address from IPCP. */
  readonly remoteIp: string;
  /** The negotiated MTU. */
  readonly mtu: number;
  readonly routes: RoutesMode;
  /** Pushed DNS servers (IPCP, RFC 1877), or null to leave DNS alone. */
  readonly dns: readonly string[] | null;
  /**
   * DNS domains from the profile (IPCP pushes none). macOS publishes them as SearchDomains (full
   * tunnel) or SupplementalMatchDomains (split tunnel); Linux ignores them today.
   */
  readonly dnsDomains?: readonly string[];
}

/** One change to the OS, in apply order. Every field has been validated by planNetwork. */
export type NetworkStep =
  | { readonly kind: 'link-mtu'; readonly dev: string; readonly mtu: number }
  | { readonly kind: 'link-address'; readonly dev: string; readonly local: string; readonly peer: string }
  | { readonly kind: 'link-up'; readonly dev: string }
  /** Host route to the server via the route that reached it before the tunnel (looked up at apply time). */
  | { readonly kind: 'server-route'; readonly server: string; readonly tunDev: string }
  /** A route into the tunnel; `dest` is a canonical CIDR. */
  | { readonly kind: 'tunnel-route'; readonly dest: string; readonly dev: string }
  /** Pushed DNS; `routeAllDomains` sends every query to these servers (full tunnel). */
  | {
      readonly kind: 'dns';
      readonly dev: string;
      readonly servers: readonly string[];
      readonly routeAllDomains: boolean;
      /** Present only when the profile names domains (validated DNS names). */
      readonly domains?: readonly string[];
    };

export interface NetworkPlan {
  readonly input: NetworkPlanInput;
  readonly steps: readonly NetworkStep[];
}

/** What the journal records before each change: enough to undo it after a crash. */
export type UndoRecord = LinuxUndoRecord | DarwinUndoRecord;

export type LinuxUndoRecord =
  | { readonly kind: 'link-mtu'; readonly dev: string; readonly previousMtu: number }
  | { readonly kind: 'link-address'; readonly dev: string; readonly local: string; readonly peer: string }
  | { readonly kind: 'link-up'; readonly dev: string }
  | { readonly kind: 'route'; readonly dest: string; readonly via: string | null; readonly dev: string }
  | { readonly kind: 'resolved-link'; readonly dev: string }
  | ResolvConfRecord;

/** A value in a System Configuration dictionary as we write it: a string, a number or a string array. */
export type ScutilValue = string | number | readonly string[];
export type ScutilDictionary = Readonly<Record<string, ScutilValue>>;

/** macOS records (see darwin/): utun link changes, BSD routes, our own dynamic-store keys. */
export type DarwinUndoRecord =
  | { readonly kind: 'utun-mtu'; readonly dev: string; readonly previousMtu: number }
  | { readonly kind: 'utun-address'; readonly dev: string; readonly local: string; readonly peer: string }
  | { readonly kind: 'utun-up'; readonly dev: string }
  /** `dest` a canonical CIDR (/32 = host route); gateway or interface as it was added. */
  | { readonly kind: 'bsd-route'; readonly dest: string; readonly gateway: string | null; readonly interface: string | null }
  /** One of our State:/Network/Service/<id>/... keys; `previous` what it held (null: absent). */
  | { readonly kind: 'scutil-key'; readonly key: string; readonly previous: ScutilDictionary | null };

export function isDarwinUndoRecord(record: UndoRecord): record is DarwinUndoRecord {
  return record.kind === 'utun-mtu' || record.kind === 'utun-address' || record.kind === 'utun-up' || record.kind === 'bsd-route' || record.kind === 'scutil-key';
}

export interface ResolvConfRecord {
  readonly kind: 'resolv-conf';
  /** The resolv.conf path we changed (normally /etc/resolv.conf). */
  readonly path: string;
  /**
   * replace-file: a regular file, replaced by atomic rename, restored the same way;
   * replace-symlink: a symlink, replaced by a file, restored as the same symlink;
   * in-place: a bind mount (containers, `ip netns exec`), rewritten in place;
   * create: there was none; restore deletes ours.
   */
  readonly mode: 'replace-file' | 'replace-symlink' | 'in-place' | 'create';
  /** The file we write to in in-place mode (the realpath); otherwise `path`. */
  readonly target: string;
  /** Byte-for-byte copy of the original (replace-file / in-place), fsync'd before the change. */
  readonly backupFile: string | null;
  readonly backupSha256: string | null;
  /** Hash of what we wrote: restore only puts the original back over our own content. */
  readonly writtenSha256: string;
  readonly symlinkTarget: string | null;
}

/** The one error code network configuration fails with (a FailureReason, see engine/failure.ts). */
export interface NetworkConfigError {
  readonly code: 'network-config-failed';
  readonly message: string;
  /** Which step failed ('plan' for validation, 'journal' for journal I/O, else the step's description). */
  readonly step: string;
  readonly command?: readonly string[];
  readonly stderr?: string;
  /** Undo problems met while rolling back or restoring (empty when everything was undone). */
  readonly undoErrors?: readonly string[];
}

export function networkError(
  step: string,
  message: string,
  extra: Omit<NetworkConfigError, 'code' | 'step' | 'message'> = {},
): NetworkConfigError {
  return { code: 'network-config-failed', step, message, ...extra };
}

export function toFailure(error: NetworkConfigError): Failure {
  return {
    reason: 'network-config-failed',
    message: error.message,
    detail: {
      step: error.step,
      ...(error.command ? { command: error.command.join(' ') } : {}),
      ...(error.stderr ? { stderr: error.stderr } : {}),
    },
  };
}

export interface AppliedNetwork {
  readonly tunName: string;
  /** How the server stays reachable outside the tunnel. */
  readonly serverRoute:
    | { readonly kind: 'via-gateway'; readonly via: string; readonly dev: string }
    | { readonly kind: 'on-link'; readonly dev: string }
    | { readonly kind: 'already-present' }
    | { readonly kind: 'local' }
    | { readonly kind: 'none' };
  /** 'scutil': macOS System Configuration dynamic store. */
  readonly dnsBackend: 'resolved' | 'resolv-conf' | 'scutil' | 'none';
  readonly stepsApplied: number;
}

export interface RestoreReport {
  /** Undo records processed (already-gone ones count: undo is idempotent). */
  readonly undone: number;
  /** Things deliberately left alone, e.g. a resolv.conf someone else rewrote meanwhile. */
  readonly notes: readonly string[];
}

export type RecoveryReport =
  | { readonly status: 'nothing-to-do' }
  | { readonly status: 'recovered'; readonly undone: number; readonly notes: readonly string[] }
  /** The journal could not be read; it was moved to `keptAt` for a human to look at. */
  | { readonly status: 'corrupt-journal'; readonly keptAt: string; readonly reason: string };

/**
 * What every OS implementation provides. Call order: recoverFromJournal() once at start (the
 * service and pptpctl do), then apply(plan) after IPCP, restore() on disconnect.
 */
export interface NetworkConfigurator {
  readonly platform: string;
  /** Applies the steps in order; on a failing step undoes the ones done and returns the error. */
  apply(plan: NetworkPlan): Promise<Result<AppliedNetwork, NetworkConfigError>>;
  /** Undoes everything the journal records and removes the journal. Nothing applied: ok, 0 undone. */
  restore(): Promise<Result<RestoreReport, NetworkConfigError>>;
  /** Undoes what a crash or kill -9 left behind (idempotent). */
  recoverFromJournal(): Promise<Result<RecoveryReport, NetworkConfigError>>;
}
