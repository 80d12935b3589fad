/**
 * `npm run soak` (as root): the soak and fault matrix through the real service process, against
 * the real pptpd in its user-mode-linux VM. Not part of `npm test`; the CI subset is
 * test/interop/soak-short.test.ts.
 *
 *   npm run soak                         # the full matrix, 200 steady cycles
 *   npm run soak -- --cycles 50          # fewer steady cycles (the path and CPU scenarios scale with it)
 *   npm run soak -- --only netem,sigkill # scenarios whose name contains one of the words
 *   npm run soak -- --short              # the CI subset
 *   npm run soak -- --server accel-ppp   # against accel-ppp (built from ../shared/vendor/accel-ppp);
 *                                        # its faults that kill pppd do not apply (accel has none)
 *
 * Prints one line per cycle as it goes, then the table (report.ts). Exit 0 only with zero
 * residue, zero unexplained failures and resources within bounds; 1 otherwise; 2 when the
 * prerequisites (root, UML, the VM image) are missing.
 */
import { checkInteropPrereqs } from '../interop/support/prereqs';
import type { ServerKind } from '../interop/support/test-servers';
import { runMatrix } from './matrix';
import { formatTable, verdict } from './report';
import { fullMatrix, shortMatrix, type Scenario } from './scenarios';

function parseArgs(argv: string[]): { cycles: number; only: string[]; short: boolean; server: ServerKind } {
  let cycles = 200;
  let only: string[] = [];
  let short = false;
  let server: ServerKind = 'pptpd';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cycles') {
      cycles = Number(argv[++i]);
      if (!Number.isInteger(cycles) || cycles < 1) throw new Error('--cycles takes a positive integer');
    } else if (a === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--short') short = true;
    else if (a === '--server') {
      const v = argv[++i];
      if (v !== 'pptpd' && v !== 'accel-ppp') throw new Error('--server takes pptpd or accel-ppp');
      server = v;
    } else throw new Error(`unknown argument ${a} (use --cycles N, --only WORDS, --short, --server pptpd|accel-ppp)`);
  }
  return { cycles, only, short, server };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`soak: ${(e as Error).message}\n`);
    return 2;
  }
  const pre = checkInteropPrereqs();
  if (!pre.ok) {
    process.stderr.write(`soak: cannot run: ${pre.why}\n`);
    return 2;
  }
  let scenarios: Scenario[] = args.short ? shortMatrix() : fullMatrix({ cycles: args.cycles });
  // accel-ppp has no pppd to kill.
  if (args.server === 'accel-ppp') scenarios = scenarios.filter((s) => !s.name.startsWith('kill-pppd'));
  if (args.only.length) scenarios = scenarios.filter((s) => args.only.some((w) => s.name.includes(w)));
  if (scenarios.length === 0) {
    process.stderr.write('soak: no scenario matches --only\n');
    return 2;
  }
  process.stdout.write(`soak: ${scenarios.length} scenarios, ${scenarios.reduce((n, s) => n + s.cycles, 0)} cycles\n`);
  const report = await runMatrix(scenarios, {
    server: args.server,
    onCycle: (name, i, outcome) => process.stdout.write(`  ${name} #${i + 1}: ${outcome}\n`),
    onRow: (row) => {
      if (row.unexplained.length || row.residue.length) {
        for (const u of [...row.unexplained, ...row.residue].slice(0, 5)) process.stdout.write(`  ! ${row.name}: ${u}\n`);
      }
    },
  });
  process.stdout.write(`\n${formatTable(report)}\n`);
  return verdict(report).pass ? 0 : 1;
}

// Ctrl-C or SIGTERM: leave through process.exit, so the exit hooks run (pptpd-vm.ts kills the VM
// and deletes its namespace, faults.ts kills its load and impairment processes). Without this the
// default action ended node and left the VM and its namespace behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`soak: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
