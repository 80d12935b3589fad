/**
 * Where pptpctl gets a password: `--password-stdin` (first line of stdin, for scripts), or a
 * no-echo prompt on the terminal with line editing (password-keys.ts). Never argv or the
 * environment (visible in ps and /proc): `--password` is refused with the two ways that work
 * (PASSWORD_FLAG_HELP). An empty password is refused: on a terminal it is asked again, up to
 * three times in all; from stdin it is an error.
 * Also `confirm`, the y/N question `profiles remove` asks, with the same terminal handling.
 */
import type { ReadStream } from 'node:tty';
import { EXIT_INTERRUPTED, EXIT_USAGE, ExitError } from './exit-codes';
import { errOut, terminalText } from './output';
import { INITIAL_PROMPT_STATE, promptKeys, typed, type PromptState } from './password-keys';

/** What `--password` gets instead of a password: why not, and what to do. */
export const PASSWORD_FLAG_HELP =
  'pptpctl never takes a password on the command line (other users can read it in `ps`). ' +
  'Pipe it in with --password-stdin (the first line of stdin), store it with `pptpctl profiles set-password NAME`, ' +
  'or leave both out to be asked on the terminal.';

export const EMPTY_PASSWORD_MESSAGE = 'the password is empty';
const PROMPT_ATTEMPTS = 3;

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

/** How a prompt ended without a line: ^C or ^D. */
export class PromptCancelled extends ExitError {
  constructor(how: 'interrupt' | 'cancel') {
    super(EXIT_INTERRUPTED, how === 'interrupt' ? 'interrupted' : 'cancelled');
  }
}

/**
 * Reads one line from the terminal in raw mode, without echo, through promptKeys. Rejects with
 * PromptCancelled on ^C / ^D, and with a usage error when stdin is not a terminal.
 */
export function readHiddenLine(prompt: string, stdin: ReadStream = process.stdin as ReadStream): Promise<string> {
  if (!stdin.isTTY) return Promise.reject(new ExitError(EXIT_USAGE, 'no terminal to ask for the password on: pipe it in with --password-stdin'));
  return new Promise((resolve, reject) => {
    process.stderr.write(terminalText(prompt)); // the prompt names the user and server: user text
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let state: PromptState = INITIAL_PROMPT_STATE;
    const onData = (chunk: string) => {
      state = promptKeys(state, chunk);
      if (!state.done) return;
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (state.done === 'submit') resolve(typed(state));
      else reject(new PromptCancelled(state.done));
    };
    stdin.on('data', onData);
  });
}

/** Asks until a non-empty password is typed (three tries), saying why an empty one is refused. */
export async function promptPassword(prompt: string, read: (prompt: string) => Promise<string> = readHiddenLine): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const value = await read(prompt);
    if (value !== '') return value;
    if (attempt >= PROMPT_ATTEMPTS) throw new ExitError(EXIT_USAGE, `${EMPTY_PASSWORD_MESSAGE} (${PROMPT_ATTEMPTS} tries); nothing was done`);
    errOut(`The password must not be empty: type it, or press Ctrl-D to cancel.`);
  }
}

/** The password for a command: from stdin with --password-stdin, else prompted (no terminal: a usage error). */
export async function passwordFor(flags: { passwordStdin?: boolean }, prompt: string): Promise<string> {
  if (flags.passwordStdin) {
    const value = await readPasswordFromStdin();
    if (value === '') throw new ExitError(EXIT_USAGE, `${EMPTY_PASSWORD_MESSAGE}: --password-stdin read an empty first line`);
    return value;
  }
  return promptPassword(prompt);
}

/**
 * A y/N question on the terminal (default no). `answer` is read in cooked mode, one line; an
 * end of input (^D) is a no.
 */
export function confirm(question: string, stdin: NodeJS.ReadStream = process.stdin): Promise<boolean> {
  return new Promise((resolve) => {
    process.stderr.write(terminalText(`${question} [y/N] `));
    stdin.setEncoding('utf8');
    let buf = '';
    const finish = (yes: boolean) => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.pause();
      resolve(yes);
    };
    const onData = (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl !== -1) finish(/^\s*y(es)?\s*$/i.test(buf.slice(0, nl)));
    };
    const onEnd = () => {
      process.stderr.write('\n');
      finish(false);
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
