/**
 * Secret redaction for everything we log or print: the app's log view and pptpctl's output
 * (main/cli/redact.ts) both go through here, so it lives outside main/app. Two layers:
 *  - patterns: anything after `password=` / `password:` / `"password":"..."` (and `secret`,
 *    `passwd`, `pwd`) up to the end of the value;
 *  - the current secret values: passwords the app holds right now (registered by the handlers
 *    and the supervisor while a connect is in flight) are replaced wherever they appear.
 * Pure string work; owns no I/O and imports nothing (no Electron, no app state). A redacted
 * value becomes `[redacted]`.
 */

export const REDACTED = '[redacted]';

// key, separator, then a quoted value or a bare token. Keys are matched case-insensitively.
const KEY = String.raw`(?:password|passwd|pwd|secret)`;
const PATTERNS: readonly RegExp[] = [
  // JSON: "password":"..." (escaped quotes inside the value are honoured)
  new RegExp(String.raw`("${KEY}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi'),
  // key="quoted value" / key='quoted value'
  new RegExp(String.raw`(\b${KEY}\s*[=:]\s*)"(?:[^"\\]|\\.)*"`, 'gi'),
  new RegExp(String.raw`(\b${KEY}\s*[=:]\s*)'[^']*'`, 'gi'),
  // key=bare value (up to whitespace, comma, semicolon, ampersand or closing bracket)
  new RegExp(String.raw`(\b${KEY}\s*[=:]\s*)(?!\[redacted\])[^\s,;&)}\]"']+`, 'gi'),
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every pattern match and every occurrence of a known secret value. */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  const values = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  for (const value of values) {
    out = out.replace(new RegExp(escapeRegExp(value), 'g'), REDACTED);
    // The same secret as it appears inside JSON text (quotes and backslashes escaped).
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value) out = out.replace(new RegExp(escapeRegExp(json), 'g'), REDACTED);
  }
  const [json, ...rest] = PATTERNS;
  if (json) out = out.replace(json, `$1"${REDACTED}"`); // stays valid JSON
  for (const re of rest) out = out.replace(re, `$1${REDACTED}`);
  return out;
}

/**
 * The set of secret values to scrub right now. Holders register a value and release it when
 * done (a connect in flight, a password being saved); one value may be registered twice.
 */
export class SecretRegistry {
  private readonly counts = new Map<string, number>();

  /** Registers `value`; returns the function that releases it. Empty values are ignored. */
  hold(value: string): () => void {
    if (value.length === 0) return () => undefined;
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.counts.get(value) ?? 1) - 1;
      if (n <= 0) this.counts.delete(value);
      else this.counts.set(value, n);
    };
  }

  values(): string[] {
    return [...this.counts.keys()];
  }

  redact(text: string): string {
    return redactText(text, this.counts.keys());
  }
}
