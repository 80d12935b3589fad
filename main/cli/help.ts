/**
 * `--help` examples: every pptpctl command ends its help with a few real command lines
 * (clig.dev: "lead with examples"). One helper so they all look the same.
 */
import type { Command } from 'commander';

/** Appends "Examples:" with `lines` to `cmd`'s help; returns `cmd` for chaining. */
export function withExamples(cmd: Command, lines: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
