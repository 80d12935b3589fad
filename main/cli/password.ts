/**
 * Where pptpctl gets a password: `--password-stdin` (first line of stdin, for scripts), or a
 * no-echo prompt on a terminal. Never argv or the environment (visible in ps and /proc).
 * passwordFor picks between the two for a command's flags.
 */
import type { ReadStream } from 'node:tty';
import { EXIT_USAGE, ExitError } from './exit-codes';
import { terminalText } from './output';

export async function readPasswordFromStdin(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let data = '';
  for await (const chunk of input) {
    data += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const nl = data.indexOf('\n');
    if (nl !== -1) return data.slice(0, nl).replace(/\r$/, '');
    if (data.length > 4096) break;
  }
  return data.replace(/\r?\n$/, '');
}

/** Prompts on the controlling terminal with echo off. Rejects if stdin is not a TTY. */
export function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin as ReadStream;
  if (!stdin.isTTY) return Promise.reject(new Error('no terminal to ask for the password: use --password-stdin'));
  return new Promise((resolve, reject) => {
    process.stderr.write(terminalText(prompt)); // the prompt names the user and server: user text
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The password for a command: from stdin with --password-stdin, else prompted (no terminal: a usage error). */
export async function passwordFor(flags: { passwordStdin?: boolean }, prompt: string): Promise<string> {
  if (flags.passwordStdin) return readPasswordFromStdin();
  try {
    return await promptPassword(prompt);
  } catch (e) {
    throw new ExitError(EXIT_USAGE, (e as Error).message);
  }
}
