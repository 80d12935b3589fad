/**
 * Last line of defence for output: any occurrence of a secret of this run (the password) is
 * replaced before a line is printed, whatever produced it (a server message that echoes it, a
 * bug). Secrets shorter than 4 characters are not searched for (they would mangle ordinary text;
 * the engine already never puts the password in events).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    out = out.split(s).join('[redacted]');
    const json = JSON.stringify(s).slice(1, -1);
    if (json !== s) out = out.split(json).join('[redacted]');
  }
  return out;
}
