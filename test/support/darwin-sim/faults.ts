/**
 * Fault injection for any CommandRunner (the simulated macOS, or the real Linux tools in a
 * namespace): fail the Nth command, make a command missing (exit 127 / ENOENT, as execFile
 * reports it), garble the Nth command's output, or hang at the Nth command (a process killed
 * in the middle of apply: the promise never settles, and the test moves on as the next start would).
 */
import type { CommandName, CommandRunner } from '../../../main/service/net/command-runner';

export type Fault =
  | { readonly kind: 'fail'; readonly nth: number }
  | { readonly kind: 'missing'; readonly command: CommandName }
  | { readonly kind: 'garble'; readonly nth: number }
  | { readonly kind: 'hang'; readonly nth: number };

export const GARBLED_OUTPUT = 'Segmentation fault: 11 \u0000\u00ff<<<\n{"half":';

export interface FaultyRunner {
  readonly run: CommandRunner;
  /** Commands seen so far (the faulty one included). */
  readonly count: () => number;
}

export function withFault(runner: CommandRunner, fault: Fault | null): FaultyRunner {
  let seen = 0;
  const run: CommandRunner = async (command, args, stdin) => {
    seen += 1;
    if (fault?.kind === 'missing' && fault.command === command) {
      return { exitCode: 127, stdout: '', stderr: `spawn /sbin/${command} ENOENT` };
    }
    if (fault?.kind === 'fail' && fault.nth === seen) return { exitCode: 1, stdout: '', stderr: `simulated failure of command ${seen}` };
    if (fault?.kind === 'hang' && fault.nth === seen) return new Promise(() => undefined);
    const result = await runner(command, args, stdin);
    if (fault?.kind === 'garble' && fault.nth === seen) return { ...result, stdout: GARBLED_OUTPUT };
    return result;
  };
  return { run, count: () => seen };
}
