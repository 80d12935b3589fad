/**
 * Splits a text stream into lines for the JSON-lines RPC, with a bound: a line longer than
 * `maxBytes` is reported once as too long and discarded up to its newline, never buffered
 * whole. Both ends of the RPC (the service's server, the app's client) read through this.
 */
export type FramedLine = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'too-long'; readonly head: string };

export class LineFramer {
  private buffered = '';
  private discarding = false;

  constructor(private readonly maxBytes: number) {}

  /** The complete lines in `chunk` (blank lines skipped), in order. */
  push(chunk: string): FramedLine[] {
    const out: FramedLine[] = [];
    let text = chunk;
    while (text.length > 0) {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        if (!this.discarding) this.buffered += text;
        if (!this.discarding && this.buffered.length > this.maxBytes) {
          out.push({ kind: 'too-long', head: this.buffered.slice(0, 200) });
          this.buffered = '';
          this.discarding = true;
        }
        return out;
      }
      const wasDiscarding = this.discarding;
      const line = wasDiscarding ? '' : this.buffered + text.slice(0, nl);
      this.buffered = '';
      this.discarding = false;
      text = text.slice(nl + 1);
      if (wasDiscarding) continue;
      if (line.length > this.maxBytes) out.push({ kind: 'too-long', head: line.slice(0, 200) });
      else if (line.trim().length > 0) out.push({ kind: 'line', text: line });
    }
    return out;
  }
}
