/**
 * `npm run bench:e2e -- [--seconds 10] [--soak-seconds 600] [--settle-seconds 10] [--cpu-prof]
 * [--server-window 64] [--service-node-flags='--max-semi-space-size=4']`: the end-to-end benchmark alone (bench/e2e/e2e.ts), with the long RSS
 * soak (default 10 min) that `npm run bench` shortens. --cpu-prof profiles the service and prints
 * its top costs; --server-window sets the GRE receive window the bench server advertises
 * (pptpd's is 64), to show how far the window bounds the upload; --service-node-flags replaces
 * the node (V8) flags the service ships with (SERVICE_NODE_FLAGS) on its command line, `none`
 * for none: to measure what a flag costs or saves side by side.
 */
import { parseArgs } from 'node:util';
import { SERVICE_NODE_FLAGS } from '../../main/service/node-flags';
import { runEndToEnd } from './e2e';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'soak-seconds': { type: 'string', default: '600' },
    'settle-seconds': { type: 'string', default: '10' },
    'cpu-prof': { type: 'boolean', default: false },
    'server-window': { type: 'string', default: '64' },
    'service-node-flags': { type: 'string' },
  },
});
const num = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} takes a number of seconds`);
  return n;
};
/** The shipped flags unless given; 'none' for V8's defaults. */
function serviceFlags(v: string | undefined): readonly string[] {
  if (v === undefined) return SERVICE_NODE_FLAGS;
  if (v.trim() === 'none') return [];
  return v.split(/\s+/).filter((f) => f.length > 0);
}
await runEndToEnd({
  seconds: Math.max(1, num('seconds', values.seconds)),
  soakSeconds: num('soak-seconds', values['soak-seconds']),
  settleSeconds: num('settle-seconds', values['settle-seconds']),
  cpuProfile: values['cpu-prof'],
  serviceNodeFlags: serviceFlags(values['service-node-flags']),
  serverWindow: Math.max(1, Math.min(0xffff, Math.floor(num('server-window', values['server-window'])))),
});
