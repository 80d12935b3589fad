import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../../../main/service/rpc/line-framer';

describe('LineFramer', () => {
  it('joins lines split across chunks and skips blank ones', () => {
    const f = new LineFramer(100);
    expect(f.push('{"a"')).toEqual([]);
    expect(f.push(':1}\n\n  \n{"b":2}\n{"c"')).toEqual([
      { kind: 'line', text: '{"a":1}' },
      { kind: 'line', text: '{"b":2}' },
    ]);
    expect(f.push(':3}\n')).toEqual([{ kind: 'line', text: '{"c":3}' }]);
  });
  it('reports an endless line once without buffering it, then recovers at the newline', () => {
    const f = new LineFramer(10);
    expect(f.push('x'.repeat(8))).toEqual([]);
    const first = f.push('x'.repeat(8));
    expect(first).toHaveLength(1);
    expect(first[0]!.kind).toBe('too-long');
    expect(f.push('x'.repeat(1000))).toEqual([]);
    expect(f.push('tail\nok\n')).toEqual([{ kind: 'line', text: 'ok' }]);
  });
  it('reports a complete over-long line that arrives in one chunk', () => {
    const f = new LineFramer(5);
    expect(f.push('abcdefgh\nabc\n')).toEqual([{ kind: 'too-long', head: 'abcdefgh' }, { kind: 'line', text: 'abc' }]);
  });
});
