/**
 * `npm run bench:e2e -- [--seconds 10] [--soak-seconds 600] [--settle-seconds 10] [--cpu-prof]`:
 * the end-to-end benchmark alone (bench/e2e/e2e.ts), with the long RSS soak (default 10 min)
 * that `npm run bench` shortens. --cpu-prof profiles the service and prints its top costs.
 */
import { parseArgs } from 'node:util';
import { runEndToEnd } from './e2e';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'soak-seconds': { type: 'string', default: '600' },
    'settle-seconds': { type: 'string', default: '10' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const num = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} takes a number of seconds`);
  return n;
};
await runEndToEnd({
  seconds: Math.max(1, num('seconds', values.seconds)),
  soakSeconds: num('soak-seconds', values['soak-seconds']),
  settleSeconds: num('settle-seconds', values['settle-seconds']),
  cpuProfile: values['cpu-prof'],
});
