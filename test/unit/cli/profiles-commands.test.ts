/** The `pptpctl profiles` command table, checked without running a command (no keychain, no files). */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addProfilesCommands } from '../../../main/cli/profiles-commands';
import { ExitError, EXIT_PROFILE } from '../../../main/cli/exit-codes';

describe('addProfilesCommands', () => {
  const program = new Command('pptpctl');
  addProfilesCommands(program, () => undefined);
  const profiles = program.commands.find((c) => c.name() === 'profiles');
  const sub = (name: string) => profiles?.commands.find((c) => c.name() === name);

  it('registersTheFiveSubCommands', () => {
    expect(profiles?.commands.map((c) => c.name())).toEqual(['list', 'import', 'export', 'set-password', 'remove']);
  });

  it('keepsTheirOptions_andDefaults', () => {
    expect(sub('list')?.options.map((o) => o.long)).toEqual(['--json']);
    const onConflict = sub('import')?.options.find((o) => o.long === '--on-conflict');
    expect(onConflict?.defaultValue).toBe('rename');
    expect(sub('export')?.options.map((o) => o.long)).toEqual(['--out']);
    expect(sub('set-password')?.options.map((o) => o.long)).toEqual(['--password-stdin']);
  });
});

describe('ExitError', () => {
  it('carriesTheExitCode_andTheMessage', () => {
    const e = new ExitError(EXIT_PROFILE, 'no profile named "x"');
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe(14);
    expect(e.message).toBe('no profile named "x"');
  });
});
