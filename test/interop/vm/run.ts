/**
 * By-hand runner for the pptpd test VM: boots it with a preset, prints how to reach it, streams
 * the console log, and tears everything down on Ctrl-C (or after --for SECONDS).
 *
 *   sudo node --import tsx test/interop/vm/run.ts [preset] [--name NS] [--for SECONDS]
 *   sudo node --import tsx test/interop/vm/run.ts --exec 'ps; ip addr' [preset]
 *
 * Presets: see PPTPD_PRESETS in test/interop/support/pptpd-config.ts.
 */
import { PPTPD_PRESETS, startPptpdVm, type PptpdPresetName } from '../support/pptpd-vm';

const args = process.argv.slice(2);
let preset: PptpdPresetName = 'default';
let name: string | undefined;
let forSeconds: number | undefined;
let execScript: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i] ?? '';
  if (a === '--name') name = args[++i];
  else if (a === '--for') forSeconds = Number(args[++i]);
  else if (a === '--exec') execScript = args[++i];
  else if (a in PPTPD_PRESETS) preset = a as PptpdPresetName;
  else {
    console.error(`unknown argument ${a}; presets: ${Object.keys(PPTPD_PRESETS).join(', ')}`);
    process.exit(2);
  }
}

const vm = await startPptpdVm({ preset, ...(name ? { name } : {}) });
let printed = 0;
const flush = () => {
  const log = vm.log();
  process.stdout.write(log.slice(printed));
  printed = log.length;
};
flush();
console.error(
  `\n[run] preset ${preset}: namespace ${vm.netns}, server ${vm.serverIp}, client ${vm.clientIp}; ready in ${vm.bootMs} ms\n` +
    `[run] try: ip netns exec ${vm.netns} bash    (then e.g. pptpctl connect --server ${vm.serverIp} --user alice)`,
);

if (execScript !== undefined) {
  const r = await vm.exec(execScript);
  process.stdout.write(r.output);
  console.error(`[run] exit ${r.code}`);
  await vm.stop();
  process.exit(0);
}

const timer = setInterval(flush, 200);
const stop = async () => {
  clearInterval(timer);
  flush();
  await vm.stop();
  console.error('[run] stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
if (forSeconds !== undefined) setTimeout(() => void stop(), forSeconds * 1000);
