import { describe, expect, it } from 'vitest';
import {
  challengeResponse,
  mschapv1NtResponse,
  mschapv2AuthenticatorResponse,
  mschapv2ChallengeHash,
  mschapv2NtResponse,
  ntPasswordHash,
  ntPasswordHashHash,
  passwordToUtf16le,
  stripDomain,
} from '../../../../main/engine/crypto/mschap';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

// RFC 2759 §9.2.
const V2 = {
  user: 'User',
  password: 'clientPass',
  authenticatorChallenge: fromHex('5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28'),
  peerChallenge: fromHex('21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E'),
  challenge: 'd02e4386bce91226',
  passwordHash: '44ebba8d5312b8d611474411f56989ae',
  ntResponse: '82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df',
  passwordHashHash: '41c00c584bd2d91c4017a2a12fa59f3f',
  authenticatorResponse: 'S=407A5589115FD0D6209F510FE9C04566932CDA56',
};

describe('MS-CHAPv2 (RFC 2759 §8, vectors of §9.2)', () => {
  it('ntPasswordHash_rfc2759_9_2', () => {
    expect(toHex(ntPasswordHash(V2.password))).toBe(V2.passwordHash);
  });
  it('ntPasswordHashHash_fromHashOrFromPassword', () => {
    expect(toHex(ntPasswordHashHash(fromHex(V2.passwordHash)))).toBe(V2.passwordHashHash);
    expect(toHex(ntPasswordHashHash(V2.password))).toBe(V2.passwordHashHash);
  });
  it('challengeHash_rfc2759_9_2', () => {
    expect(toHex(mschapv2ChallengeHash(V2.peerChallenge, V2.authenticatorChallenge, V2.user))).toBe(V2.challenge);
  });
  it('challengeHash_ignoresADomainPrefix_rfc2759_8_2', () => {
    expect(toHex(mschapv2ChallengeHash(V2.peerChallenge, V2.authenticatorChallenge, 'CORP\\User'))).toBe(V2.challenge);
  });
  it('ntResponse_rfc2759_9_2', () => {
    const nt = mschapv2NtResponse(V2.authenticatorChallenge, V2.peerChallenge, V2.user, V2.password);
    expect(toHex(nt)).toBe(V2.ntResponse);
  });
  it('challengeResponse_isTheNtResponseFromTheChallengeHash', () => {
    expect(toHex(challengeResponse(fromHex(V2.challenge), fromHex(V2.passwordHash)))).toBe(V2.ntResponse);
  });
  it('authenticatorResponse_rfc2759_9_2_is42CharsUppercase', () => {
    const s = mschapv2AuthenticatorResponse(
      V2.password,
      fromHex(V2.ntResponse),
      V2.peerChallenge,
      V2.authenticatorChallenge,
      V2.user,
    );
    expect(s).toBe(V2.authenticatorResponse);
    expect(s).toHaveLength(42);
  });
  it('authenticatorResponse_differsForAWrongPassword', () => {
    const s = mschapv2AuthenticatorResponse(
      'clientPasS',
      fromHex(V2.ntResponse),
      V2.peerChallenge,
      V2.authenticatorChallenge,
      V2.user,
    );
    expect(s).not.toBe(V2.authenticatorResponse);
  });
  it('refusesWrongLengths', () => {
    expect(() => mschapv2ChallengeHash(new Uint8Array(15), V2.authenticatorChallenge, 'u')).toThrow(RangeError);
    expect(() => challengeResponse(new Uint8Array(7), new Uint8Array(16))).toThrow(RangeError);
    expect(() => challengeResponse(new Uint8Array(8), new Uint8Array(15))).toThrow(RangeError);
    expect(() =>
      mschapv2AuthenticatorResponse('p', new Uint8Array(23), V2.peerChallenge, V2.authenticatorChallenge, 'u'),
    ).toThrow(RangeError);
  });
});

describe('DES key piece (RFC 2759 §9.3) and MS-CHAPv1 (RFC 2433)', () => {
  it('ntPasswordHash_MyPw_rfc2759_9_3', () => {
    expect(toHex(ntPasswordHash('MyPw'))).toBe('fc156af7edcd6c0edde3337d427f4eac');
  });
  it('mschapv1NtResponse_rfc2433Example', () => {
    const nt = mschapv1NtResponse(fromHex('10 2D B5 DF 08 5D 30 41'), 'MyPw');
    expect(toHex(nt)).toBe('4e9d3c8f9cfd385d5bf4d3246791956ca4c351ab409a3d61');
  });
});

describe('text encodings', () => {
  it('passwordToUtf16le_encodesCodeUnitsLittleEndian', () => {
    expect(toHex(passwordToUtf16le('Aé€'))).toBe('4100e900ac20');
  });
  it('nonAsciiPasswords_hashDifferentlyFromTheirLatin1Lookalikes', () => {
    expect(toHex(ntPasswordHash('pässword'))).not.toBe(toHex(ntPasswordHash('passwords')));
  });
  it('stripDomain_keepsTheNameAfterTheLastBackslash', () => {
    expect(stripDomain('DOMAIN\\user')).toBe('user');
    expect(stripDomain('a\\b\\c')).toBe('c');
    expect(stripDomain('user@realm')).toBe('user@realm');
  });
});
