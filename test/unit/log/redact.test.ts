/** Redaction (main/log/redact.ts): key=value patterns, JSON, the current secret values. */
import { describe, expect, it } from 'vitest';
import { redactText, SecretRegistry, REDACTED } from '../../../main/log/redact';

describe('redactText', () => {
  it('keyValuePatterns_areRedacted', () => {
    expect(redactText('user=alice password=hunter2 mtu=1400')).toBe(`user=alice password=${REDACTED} mtu=1400`);
    expect(redactText('Password: "two words" next')).toBe(`Password: ${REDACTED} next`);
    expect(redactText("passwd='x y'")).toBe(`passwd=${REDACTED}`);
    expect(redactText('secret=abc;pwd=def&x=1')).toBe(`secret=${REDACTED};pwd=${REDACTED}&x=1`);
  });

  it('json_staysJson', () => {
    const out = redactText(JSON.stringify({ username: 'alice', password: 'p"q\\r' }));
    expect(JSON.parse(out)).toEqual({ username: 'alice', password: REDACTED });
  });

  it('knownSecrets_anywhere_includingJsonEscaped', () => {
    const secret = 'a"b\\c$1';
    const text = `raw ${secret} json ${JSON.stringify({ x: secret })}`;
    const out = redactText(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(out.match(/\[redacted\]/g)).toHaveLength(2);
  });

  it('longerSecretsFirst', () => {
    expect(redactText('abcdef abc', ['abc', 'abcdef'])).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('wordsContainingKeys_butNoValue_stayIntact', () => {
    expect(redactText('the password was rejected by the server')).toBe('the password was rejected by the server');
  });
});

describe('SecretRegistry', () => {
  it('holdAndRelease_countsReferences', () => {
    const r = new SecretRegistry();
    const a = r.hold('s3');
    const b = r.hold('s3');
    a();
    a(); // idempotent
    expect(r.redact('x s3')).toBe(`x ${REDACTED}`);
    b();
    expect(r.redact('x s3')).toBe('x s3');
    expect(r.values()).toEqual([]);
  });
});
