/**
 * How the simulated macOS prints: `ifconfig <if>`, `route -n get <address>` and scutil's
 * dictionary display, in the layouts of the recorded outputs under test/fixtures/darwin/
 * (network_cmds ifconfig.tproj / route.tproj print code; configd scutil.tproj).
 */
import { formatIpv4 } from '../../../main/service/net/validate';

export interface SimInterface {
  readonly name: string;
  flagsHex: string;
  flags: string[];
  mtu: number;
  inet: { local: string; peer: string | null; prefix: number }[];
}

export interface SimRoute {
  readonly network: number;
  readonly prefix: number;
  readonly gateway: string | null;
  readonly interface: string;
  readonly flags: readonly string[];
}

export type StoreValue = string | number | string[];

function maskText(prefix: number): string {
  return formatIpv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

/** "utun3: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1400" + "\tinet A --> B netmask 0xff000000". */
export function formatIfconfig(iface: SimInterface): string {
  const lines = [`${iface.name}: flags=${iface.flagsHex}<${iface.flags.join(',')}> mtu ${iface.mtu}`];
  for (const address of iface.inet) {
    const mask = `0x${(iface.inet.length === 0 ? 0 : address.prefix === 0 ? 0 : (0xffffffff << (32 - address.prefix)) >>> 0).toString(16).padStart(8, '0')}`;
    lines.push(address.peer === null ? `\tinet ${address.local} netmask ${mask}` : `\tinet ${address.local} --> ${address.peer} netmask ${mask}`);
  }
  return `${lines.join('\n')}\n`;
}

/** route.c print_getmsg: right-aligned labels, "gateway:" only for RTF_GATEWAY routes, then the metrics table. */
export function formatRouteGet(target: string, route: SimRoute, mtu: number): string {
  const isDefault = route.prefix === 0;
  const lines = [
    `   route to: ${target}`,
    `destination: ${isDefault ? 'default' : formatIpv4(route.network)}`,
    ...(route.prefix === 32 ? [] : [`       mask: ${isDefault ? 'default' : maskText(route.prefix)}`]),
    ...(route.gateway !== null && route.flags.includes('GATEWAY') ? [`    gateway: ${route.gateway}`] : []),
    `  interface: ${route.interface}`,
    `      flags: <${route.flags.join(',')}>`,
    ' recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire',
    `       0         0         0         0         0         0 ${String(mtu).padStart(9)}         0 `,
  ];
  return `${lines.join('\n')}\n`;
}

/** scutil's display: "<dictionary> {", "  Key : value", "  Key : <array> {" / "    0 : value" / "  }", "}". */
export function formatScutilDictionary(dict: Readonly<Record<string, StoreValue>>): string {
  const lines = ['<dictionary> {'];
  for (const key of Object.keys(dict).sort()) {
    const value = dict[key];
    if (Array.isArray(value)) {
      lines.push(`  ${key} : <array> {`, ...value.map((item, index) => `    ${index} : ${item}`), '  }');
    } else {
      lines.push(`  ${key} : ${String(value)}`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
