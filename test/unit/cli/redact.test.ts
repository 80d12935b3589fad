import { describe, expect, it } from 'vitest';
import { redactOutput } from '../../../main/cli/redact';

describe('redactOutput', () => {
  it('removes the password, also JSON-escaped', () => {
    expect(redactOutput('server said s3cret-Pass', ['s3cret-Pass'])).toBe('server said [redacted]');
    const secret = 'pw "q\\uote"';
    expect(redactOutput(JSON.stringify({ m: secret }), [secret])).toBe('{"m":"[redacted]"}');
  });
  it('leaves ordinary text alone for very short secrets', () => {
    expect(redactOutput('a banana', ['a'])).toBe('a banana');
  });
});
