/**
 * Where pptpctl writes: results one line at a time on stdout; notes, warnings and errors on
 * stderr (so `--json` stdout stays machine-readable). Nothing is redacted here: callers that
 * print tunnel text pass it through redact.ts first.
 */
export function out(line: string): void {
  process.stdout.write(line + '\n');
}

export function errOut(line: string): void {
  process.stderr.write(line + '\n');
}
