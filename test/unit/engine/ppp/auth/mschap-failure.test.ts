import { describe, expect, it } from 'vitest';
import {
  describeMschapError,
  mschapFailure,
  parseMschapFailure,
} from '../../../../../main/engine/ppp/auth/mschap-failure';
import { toHex } from '../../../../../main/engine/wire/bytes';

describe('parseMschapFailure', () => {
  it.each<[string, string, Record<string, unknown>]>([
    [
      'the full RFC 2759 form',
      'E=691 R=1 C=0123456789ABCDEF0123456789ABCDEF V=3 M=Authentication failure',
      { errorCode: 691, retry: true, challenge: '0123456789abcdef0123456789abcdef', version: 3, message: 'Authentication failure' },
    ],
    ['the RFC 2433 form (16-digit C)', 'E=649 R=0 C=0011223344556677 V=2', { errorCode: 649, retry: false, challenge: '0011223344556677', version: 2 }],
    ['only E', 'E=646', { errorCode: 646 }],
    ['lower-case hex and keys', 'e=648 r=0 c=abcdefabcdefabcdefabcdefabcdefab v=3', { errorCode: 648, retry: false, challenge: 'abcdefabcdefabcdefabcdefabcdefab', version: 3 }],
    ['extra spaces', '  E=691   R=0    V=3   M=  bad   creds ', { errorCode: 691, retry: false, version: 3, message: 'bad   creds' }],
    ['a message with = signs and field-like words', 'E=709 M=R=1 C=zz see E=1', { errorCode: 709, message: 'R=1 C=zz see E=1' }],
    ['garbage fields', 'E=abc R=7 C=xyz V= Q=1', {}],
    ['a wrong-length C', 'E=691 C=0123', { errorCode: 691 }],
    ['plain text without fields', 'Access denied', { message: 'Access denied' }],
    ['nothing', '', {}],
    ['a first value wins over a repeat', 'E=691 E=646', { errorCode: 691 }],
    ['a huge number of digits', 'E=123456789012345', {}],
  ])('%s', (_what, input, expected) => {
    const got = parseMschapFailure(input);
    const normalised: Record<string, unknown> = { ...got };
    if (got.challenge !== undefined) normalised.challenge = toHex(got.challenge);
    expect(normalised).toEqual(expected);
  });

  it('takes bytes, including invalid UTF-8, without throwing', () => {
    const got = parseMschapFailure(Uint8Array.of(0x45, 0x3d, 0x36, 0x39, 0x31, 0x20, 0xff, 0xfe));
    expect(got.errorCode).toBe(691);
  });
});

describe('describeMschapError', () => {
  it.each([
    [646, 'restricted logon hours'],
    [647, 'account is disabled'],
    [648, 'password has expired'],
    [649, 'no dial-in permission'],
    [691, 'bad user name or password'],
    [709, 'error changing the password'],
  ])('%i in words', (code, words) => {
    expect(describeMschapError(code)).toContain(words);
    expect(describeMschapError(code)).toContain(String(code));
  });
  it('keeps the number of an unknown code', () => {
    expect(describeMschapError(1234)).toContain('1234');
  });
  it('says when there was no code', () => {
    expect(describeMschapError(undefined)).toContain('no error code');
  });
});

describe('mschapFailure', () => {
  it('builds an auth-failed Failure with detail {errorCode, retry, version} and the server text', () => {
    const f = mschapFailure('MS-CHAPv2', parseMschapFailure('E=649 R=0 V=3 M=Call your admin'), 'pw');
    expect(f.reason).toBe('auth-failed');
    expect(f.message).toContain('no dial-in permission (error 649)');
    expect(f.message).toContain('Call your admin');
    expect(f.detail).toEqual({ errorCode: 649, retry: false, version: 3, serverMessage: 'Call your admin' });
  });
  it('redacts the secret and control characters from the server text', () => {
    const f = mschapFailure('MS-CHAP', parseMschapFailure('E=691 M=your pw hunter2\r\n\u0007is wrong'), 'hunter2');
    expect(f.message).not.toContain('hunter2');
    for (const ch of ['\r', '\n', '\u0007']) expect(f.message).not.toContain(ch);
    expect(JSON.stringify(f.detail)).not.toContain('hunter2');
  });
});
