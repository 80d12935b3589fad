/**
 * Server configurations for the pptpd test VM: the default (per /work/shared/notes/pptpd-peer.md)
 * and named presets for the interop tests, rendered into the files init.sh installs.
 *
 * Owns: what the server is configured to do. Must not: start anything (see pptpd-vm.ts).
 * Debian's /etc/ppp/options (asyncmap 0, auth, lcp-echo-interval 30, lcp-echo-failure 4, ...)
 * stays in the image and is read by pppd before pptpd-options, as on a real Debian server.
 */

/** The test account every preset accepts. */
export const TEST_USER = 'alice';
export const TEST_PASSWORD = 's3cret-Pass';

/** Addresses of the test network (fixed by init.sh and vm/netns.sh). */
export const SERVER_IP = '10.77.0.1';
export const CLIENT_IP = '10.77.0.2';
export const PPP_SERVER_IP = '192.168.77.1';
/** The pool pptpd hands out: the first client gets .10, the next .11, ... */
export const PPP_POOL_FIRST = '192.168.77.10';
export const PPP_POOL_LAST = '192.168.77.20';

/** TCP services inside the VM (all addresses, so also 192.168.77.1 through the tunnel). */
export const VM_SERVICES = {
  /** Send N bytes and half-close; the reply is "<md5 hex>  -\n". */
  uploadMd5: 7000,
  /** Sends the payload file (manifest.payload: size, md5); see payload.ts. */
  download: 7001,
  /** Echoes everything back. */
  echo: 7002,
  /** Send "<N>\n"; receives sizedPayload(N). */
  sizedDownload: 7003,
  /** Send a shell script and half-close; receives its output, then "__EXIT=<status>". */
  exec: 7099,
} as const;

/** pptpd.conf lines (no `debug`: it logs every GRE packet and stalls the tunnel). */
export const DEFAULT_PPTPD_CONF: readonly string[] = [
  'option /etc/ppp/pptpd-options',
  `localip ${PPP_SERVER_IP}`,
  `remoteip ${PPP_POOL_FIRST}-${PPP_POOL_LAST.split('.').pop() ?? '20'}`,
];

/** Lines every preset shares: server name, pushed DNS, no routes, no header compression, pppd debug log. */
const COMMON_PPP_OPTIONS: readonly string[] = ['name pptpd', `ms-dns ${PPP_SERVER_IP}`, 'nodefaultroute', 'nobsdcomp', 'nodeflate', 'novj', 'debug'];

/** The default server: MS-CHAPv2 + MPPE-128 (stateless) required. */
export const DEFAULT_PPP_OPTIONS: readonly string[] = [
  'require-mschap-v2',
  'require-mppe-128',
  'refuse-pap',
  'refuse-chap',
  'refuse-mschap',
  ...COMMON_PPP_OPTIONS,
];

export const DEFAULT_CHAP_SECRETS = `${TEST_USER} * "${TEST_PASSWORD}" *\n`;

/** What startPptpdVm() writes into the VM. Each field replaces the default for that file. */
export interface PptpdServerConfig {
  /** /etc/ppp/pptpd-options lines (replaces DEFAULT_PPP_OPTIONS). */
  pppOptions?: readonly string[];
  /** /etc/ppp/chap-secrets (also used by MS-CHAP and EAP). */
  chapSecrets?: string;
  /** /etc/ppp/pap-secrets. */
  papSecrets?: string;
  /** /etc/pptpd.conf lines (replaces DEFAULT_PPTPD_CONF; spread it to extend). */
  pptpdConf?: readonly string[];
  /** Shell run by init.sh inside the VM just before pptpd starts (e.g. nft rules). */
  extraInit?: string;
}

/** Named server configurations for the interop tests. */
export const PPTPD_PRESETS = {
  /** pptpd-peer.md's configuration: MS-CHAPv2, MPPE-128 stateless required. */
  default: { pppOptions: DEFAULT_PPP_OPTIONS, chapSecrets: DEFAULT_CHAP_SECRETS },
  /**
   * MS-CHAPv2, MPPE-128 required, stateful mode ALLOWED. pppd still proposes and acks stateless
   * first and never insists on stateful: the session is stateful only if the client asks for it.
   */
  mppeStateful: {
    pppOptions: ['require-mschap-v2', 'require-mppe-128', 'mppe-stateful', 'refuse-pap', 'refuse-chap', 'refuse-mschap', ...COMMON_PPP_OPTIONS],
    chapSecrets: DEFAULT_CHAP_SECRETS,
  },
  /** MS-CHAPv2, MPPE-40 required. */
  mppe40: {
    pppOptions: ['require-mschap-v2', 'require-mppe-40', 'refuse-pap', 'refuse-chap', 'refuse-mschap', ...COMMON_PPP_OPTIONS],
    chapSecrets: DEFAULT_CHAP_SECRETS,
  },
  /** MS-CHAPv1 (RFC 2433), MPPE-128 required. */
  mschapV1: {
    pppOptions: ['require-mschap', 'require-mppe-128', 'refuse-pap', 'refuse-chap', 'refuse-mschap-v2', ...COMMON_PPP_OPTIONS],
    chapSecrets: DEFAULT_CHAP_SECRETS,
  },
  /** CHAP-MD5, no encryption (MPPE needs MS-CHAP keys). */
  chapNoMppe: {
    pppOptions: ['require-chap', 'nomppe', 'refuse-pap', 'refuse-mschap', 'refuse-mschap-v2', ...COMMON_PPP_OPTIONS],
    chapSecrets: DEFAULT_CHAP_SECRETS,
  },
  /** PAP, no encryption. */
  papNoMppe: {
    pppOptions: ['require-pap', 'nomppe', 'refuse-chap', 'refuse-mschap', 'refuse-mschap-v2', ...COMMON_PPP_OPTIONS],
    papSecrets: `${TEST_USER} * "${TEST_PASSWORD}" *\n`,
  },
  /** EAP (MD5-Challenge from pppd's EAP server), no encryption. */
  eapMd5: {
    pppOptions: ['require-eap', 'nomppe', 'refuse-pap', 'refuse-chap', 'refuse-mschap', 'refuse-mschap-v2', ...COMMON_PPP_OPTIONS],
    chapSecrets: DEFAULT_CHAP_SECRETS,
  },
} as const satisfies Record<string, PptpdServerConfig>;

export type PptpdPresetName = keyof typeof PPTPD_PRESETS;

/** The files init.sh copies into the VM, by name in the hostfs config directory. */
export function renderServerConfig(cfg: PptpdServerConfig): Record<string, string> {
  const lines = (l: readonly string[]) => `${l.join('\n')}\n`;
  const files: Record<string, string> = {
    'pptpd.conf': lines(cfg.pptpdConf ?? DEFAULT_PPTPD_CONF),
    'pptpd-options': lines(cfg.pppOptions ?? DEFAULT_PPP_OPTIONS),
    'chap-secrets': cfg.chapSecrets ?? DEFAULT_CHAP_SECRETS,
    'pap-secrets': cfg.papSecrets ?? '',
  };
  if (cfg.extraInit !== undefined) files['extra.sh'] = `${cfg.extraInit}\n`;
  return files;
}
