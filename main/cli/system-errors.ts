/**
 * Operating-system errors in plain words for pptpctl's messages: "cannot open /x: permission
 * denied (EACCES)" instead of "EACCES: permission denied, open '/x'". The errno name stays in
 * parentheses (it is what a search engine or a support person needs); the words come first.
 * Owns only the table and the rewriting; pure (no I/O).
 */

/** errno / getaddrinfo names → words. Anything not here keeps Node's own description. */
export const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (needs root or a capability)',
  EEXIST: 'it already exists',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOTEMPTY: 'the directory is not empty',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  EBUSY: 'the device or file is busy',
  ENODEV: 'no such device',
  ENXIO: 'no such device or address',
  EINVAL: 'invalid argument',
  EPIPE: 'the other side closed the connection',
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ECONNRESET: 'the connection was reset by the other side',
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address is not available on this machine',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the name does not resolve',
  EAI_AGAIN: 'no DNS server answered',
};

const SYSCALL_VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the directory',
  rename: 'rename',
  unlink: 'remove',
  scandir: 'list',
  stat: 'read',
  lstat: 'read',
  connect: 'connect to',
  listen: 'listen on',
  bind: 'bind',
  copyfile: 'copy',
  chmod: 'change the mode of',
};

interface SystemErrorLike {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly address?: unknown;
  readonly message?: unknown;
}

/** True for Node's system errors (an errno name in `code` and the failing `syscall`). */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  const s = e as SystemErrorLike | null;
  return typeof s === 'object' && s !== null && typeof s.code === 'string' && /^E[A-Z0-9_]+$/.test(s.code) && typeof s.syscall === 'string';
}

/** "permission denied (EACCES)", or Node's words for a code not in the table. */
export function errnoWords(code: string, fallback?: string): string {
  return `${ERRNO_WORDS[code] ?? fallback ?? 'system error'} (${code})`;
}

/** A system error as one plain sentence: "cannot open /x: permission denied (EACCES)". */
export function describeSystemError(e: NodeJS.ErrnoException): string {
  const code = e.code!;
  const target = typeof e.path === 'string' ? e.path : typeof (e as SystemErrorLike).address === 'string' ? String((e as SystemErrorLike).address) : undefined;
  const verb = SYSCALL_VERBS[e.syscall ?? ''] ?? e.syscall;
  // Node's own description is after "CODE: " and before ", syscall ...".
  const nodeWords = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message)?.[1];
  return `cannot ${verb}${target ? ` ${target}` : ''}: ${errnoWords(code, nodeWords)}`;
}

// Node's "ECODE: words, syscall 'path'" inside a longer text, and a bare errno name.
const NODE_FORMAT = /\b(E[A-Z0-9_]{2,}): ([^,\n]+), (\w+)(?: '([^'\n]*)')?/g;
const BARE_CODE = /(^|[^(A-Za-z0-9_])(E(?:AI_)?[A-Z]{3,})(?![A-Za-z0-9_)])/g;

/**
 * Rewrites errno names inside a message (a server or service message, a library's text) into
 * words with the code in parentheses. Codes already in parentheses, and words that merely look
 * like codes but are not in the table, are left alone.
 */
export function plainErrnoText(text: string): string {
  const rewritten = text.replace(NODE_FORMAT, (whole, code: string, words: string, syscall: string, target: string | undefined) => {
    if (!/^E[A-Z]/.test(code)) return whole;
    const verb = SYSCALL_VERBS[syscall] ?? syscall;
    return `cannot ${verb}${target ? ` ${target}` : ''}: ${errnoWords(code, words.trim())}`;
  });
  const withBare = rewritten.replace(BARE_CODE, (whole, before: string, code: string) => (ERRNO_WORDS[code] ? `${before}${errnoWords(code)}` : whole));
  // "(EACCES)" alone, with no words for it anywhere in the text: the words go in front.
  return withBare.replace(PAREN_CODE, (whole, code: string) => {
    const words = ERRNO_WORDS[code];
    return words && !withBare.includes(words) ? `(${words}, ${code})` : whole;
  });
}
const PAREN_CODE = /\((E(?:AI_)?[A-Z]{3,})\)/g;
