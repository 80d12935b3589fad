/**
 * The real PPTP servers the interop suite runs the same cases against: Debian's pptpd + pppd and
 * accel-ppp (its own PPTP and PPP code over the kernel's pptp/gre/ppp_mppe path). Each case names
 * one server configuration per server; the adapter boots one VM per server and switches its
 * configuration between cases.
 *
 * Owns: starting each server, switching its configuration in the running VM, a server-side
 * terminate, and the log line after which the server's data path takes packets.
 * Must not: decide what the client should report (the tests do).
 */
import { accelRoot, type AccelVariant } from './accel-build';
import { ACCEL_CLI_PORT, renderAccelConfig, type AccelServerConfig } from './accel-config';
import { PPTPD_PRESETS, renderServerConfig, type PptpdPresetName } from './pptpd-config';
import { startPptpdVm, type PptpdVm } from './pptpd-vm';

export type ServerKind = 'pptpd' | 'accel-ppp';
export const SERVER_KINDS: readonly ServerKind[] = ['pptpd', 'accel-ppp'];

/** One server configuration, spelled for each server. */
export interface ServerSetup {
  pptpd: PptpdPresetName;
  accel: AccelServerConfig;
}

/** The usual setups (all accept alice / s3cret-Pass). */
export const SERVER_SETUPS = {
  mschapV2Mppe128: { pptpd: 'default', accel: { auth: ['auth_mschap_v2'], mppe: 'require' } },
  mschapV1Mppe128: { pptpd: 'mschapV1', accel: { auth: ['auth_mschap_v1'], mppe: 'require' } },
  chapNoMppe: { pptpd: 'chapNoMppe', accel: { auth: ['auth_chap_md5'], mppe: 'deny' } },
  papNoMppe: { pptpd: 'papNoMppe', accel: { auth: ['auth_pap'], mppe: 'deny' } },
} as const satisfies Record<string, ServerSetup>;

export interface TestServer {
  readonly kind: ServerKind;
  readonly vm: PptpdVm;
  /** Installs `setup` in the running VM; the next call uses it. No-op when it is already active. */
  configure(setup: ServerSetup): Promise<void>;
  /** Ends every session from the server side (accel-cmd terminate all; pppd SIGTERM for pptpd). */
  terminateAll(): Promise<void>;
  /** Matches the server's log line after which its side of a session passes IP packets. */
  readonly dataPathUp: RegExp;
  /** Matches the server's log line for a session's end. */
  readonly sessionEnded: RegExp;
  stop(): Promise<void>;
}

/** Boots `kind` with `setup` (accel: the given build variant, default patched). */
export async function startTestServer(kind: ServerKind, setup: ServerSetup, opts: { accelVariant?: AccelVariant } = {}): Promise<TestServer> {
  return kind === 'pptpd' ? startPptpd(setup) : startAccel(setup, opts.accelVariant ?? 'patched');
}

async function startPptpd(initial: ServerSetup): Promise<TestServer> {
  const vm = await startPptpdVm({ preset: initial.pptpd });
  let active: PptpdPresetName = initial.pptpd;
  return {
    kind: 'pptpd',
    vm,
    // pppd takes packets only once its ip-up script ran.
    dataPathUp: /pppd\[\d+\]: Script \/etc\/ppp\/ip-up finished/,
    sessionEnded: /pppd\[\d+\]: (Connection terminated|Exit)/,
    async configure(setup) {
      if (setup.pptpd === active) return;
      const files = renderServerConfig(PPTPD_PRESETS[setup.pptpd]);
      const script = ['pptpd-options', 'chap-secrets', 'pap-secrets']
        .map((f) => `cat >/etc/ppp/${f} <<'PPTP_PRESET_EOF'\n${files[f] ?? ''}PPTP_PRESET_EOF\nchmod 600 /etc/ppp/${f}`)
        .join('\n');
      const r = await vm.exec(`${script}\ncat /etc/ppp/pptpd-options`);
      if (r.code !== 0 || r.output !== files['pptpd-options']) throw new Error(`pptpd preset ${setup.pptpd} not installed: ${r.output}`);
      active = setup.pptpd;
    },
    async terminateAll() {
      // pppd on SIGTERM sends LCP Terminate-Request, then pptpctrl closes the call.
      const r = await vm.exec('kill -TERM $(pidof pppd)');
      if (r.code !== 0) throw new Error(`kill pppd: ${r.output}`);
    },
    stop: () => vm.stop(),
  };
}

async function startAccel(initial: ServerSetup, variant: AccelVariant): Promise<TestServer> {
  const root = await accelRoot(variant);
  const vm = await startPptpdVm({ accel: { root, ...initial.accel } });
  let active = JSON.stringify(renderAccelConfig(initial.accel));
  return {
    kind: 'accel-ppp',
    vm,
    dataPathUp: /ppp\d+: pptp: ppp started/,
    sessionEnded: /ppp\d+: (pptp: disconnect|terminate)/,
    async configure(setup) {
      const files = renderAccelConfig(setup.accel);
      if (JSON.stringify(files) === active) return;
      // accel loads its auth modules at start, so a new auth list needs a restart (2-5 s).
      const script = [
        `cat >/etc/accel-ppp.conf <<'ACCEL_CONF_EOF'\n${files['accel-ppp.conf']}ACCEL_CONF_EOF`,
        `cat >/etc/ppp/chap-secrets <<'ACCEL_CONF_EOF'\n${files['chap-secrets']}ACCEL_CONF_EOF`,
        'chmod 600 /etc/ppp/chap-secrets',
        '/usr/local/bin/start-accel',
      ].join('\n');
      const r = await vm.exec(script, 60_000);
      if (r.code !== 0) throw new Error(`accel-ppp restart failed: ${r.output}`);
      active = JSON.stringify(files);
    },
    async terminateAll() {
      const r = await vm.exec(`accel-cmd -p ${ACCEL_CLI_PORT} terminate all`);
      if (r.code !== 0) throw new Error(`accel-cmd terminate all: ${r.output}`);
    },
    stop: () => vm.stop(),
  };
}
