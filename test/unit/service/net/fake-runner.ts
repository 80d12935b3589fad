/**
 * A scripted CommandRunner for configurator tests: records every call and answers from a
 * rule list (first match wins); unmatched calls succeed with empty output.
 */
import type { CommandName, CommandResult, CommandRunner } from '../../../../main/service/net/command-runner';

export interface Call {
  readonly command: CommandName;
  readonly args: readonly string[];
}

export type Rule = (call: Call) => Partial<CommandResult> | undefined;

export const LINK_SHOW_MTU_1500 = JSON.stringify([{ ifname: 'pptp0', mtu: 1500 }]);
export const ROUTE_GET_VIA_GATEWAY = JSON.stringify([{ dst: '198.51.100.10', gateway: '192.0.2.1', dev: 'eth0', prefsrc: '192.0.2.2', flags: [], uid: 0, cache: [] }]);

export function line(call: Call): string {
  return [call.command, ...call.args].join(' ');
}

export class FakeRunner {
  readonly calls: Call[] = [];
  readonly rules: Rule[] = [];

  constructor(...rules: Rule[]) {
    this.rules.push(...rules);
    // Defaults a real system would answer.
    this.rules.push((c) => (line(c).startsWith('ip -j link show') ? { stdout: LINK_SHOW_MTU_1500 } : undefined));
    this.rules.push((c) => (line(c).startsWith('ip -j route get') ? { stdout: ROUTE_GET_VIA_GATEWAY } : undefined));
  }

  readonly run: CommandRunner = (command, args) => {
    const call = { command, args: [...args] };
    this.calls.push(call);
    for (const rule of this.rules) {
      const answer = rule(call);
      if (answer !== undefined) return Promise.resolve({ exitCode: 0, stdout: '', stderr: '', ...answer });
    }
    return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
  };

  /** Calls that change something (everything but the read-only lookups). */
  changes(): string[] {
    return this.calls.map(line).filter((l) => !l.startsWith('ip -j'));
  }
}

/** Fails the command whose line starts with `prefix`. */
export function failing(prefix: string, stderr: string): Rule {
  return (call) => (line(call).startsWith(prefix) ? { exitCode: 2, stderr } : undefined);
}
