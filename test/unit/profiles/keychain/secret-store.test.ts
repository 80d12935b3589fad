import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, KeytarSecretStore, type KeytarApi } from '../../../../main/profiles/keychain/keytar-secret-store';
import { MemorySecretStore } from '../../../../main/profiles/keychain/memory-secret-store';
import { SecretStoreError } from '../../../../main/profiles/keychain/secret-store';

async function secretError(promise: Promise<unknown>): Promise<SecretStoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SecretStoreError);
    return error as SecretStoreError;
  }
  throw new Error('expected a SecretStoreError');
}

/** A fake keytar recording calls: stands in for the native module. */
function fakeKeytar(): KeytarApi & { calls: string[][]; data: Map<string, string> } {
  const data = new Map<string, string>();
  const calls: string[][] = [];
  return {
    calls,
    data,
    async getPassword(service, account) {
      calls.push(['get', service, account]);
      return data.get(`${service}/${account}`) ?? null;
    },
    async setPassword(service, account, password) {
      calls.push(['set', service, account]);
      data.set(`${service}/${account}`, password);
    },
    async deletePassword(service, account) {
      calls.push(['delete', service, account]);
      return data.delete(`${service}/${account}`);
    },
  };
}

describe('MemorySecretStore', () => {
  it('setGetOverwriteDelete', async () => {
    const s = new MemorySecretStore();
    expect(await s.get('p1')).toBeNull();
    await s.set('p1', 'one');
    await s.set('p1', 'two');
    await s.set('p2', 'pässwörd ✓');
    expect(await s.get('p1')).toBe('two');
    expect(await s.get('p2')).toBe('pässwörd ✓');
    await s.delete('p1');
    await s.delete('p1'); // deleting nothing is fine
    expect(await s.get('p1')).toBeNull();
    expect(s.ids()).toEqual(['p2']);
  });

  it('emptyIdOrPassword_invalidArgument', async () => {
    const s = new MemorySecretStore();
    expect((await secretError(s.set('', 'x'))).code).toBe('invalid-argument');
    expect((await secretError(s.set('p', ''))).code).toBe('invalid-argument');
    expect((await secretError(s.get(''))).code).toBe('invalid-argument');
  });
});

describe('KeytarSecretStore', () => {
  it('usesServiceNameAndProfileIdAsAccount', async () => {
    const k = fakeKeytar();
    const s = new KeytarSecretStore({ load: () => k });
    await s.set('id-1', 'pw');
    expect(await s.get('id-1')).toBe('pw');
    await s.delete('id-1');
    expect(k.calls).toEqual([
      ['set', 'PPTP Manager', 'id-1'],
      ['get', 'PPTP Manager', 'id-1'],
      ['delete', 'PPTP Manager', 'id-1'],
    ]);
    expect(KEYCHAIN_SERVICE).toBe('PPTP Manager');
  });

  it('loadsLazily_onlyOnFirstCall_once', async () => {
    let loads = 0;
    const k = fakeKeytar();
    const s = new KeytarSecretStore({ load: () => (loads++, k) });
    expect(loads).toBe(0);
    await s.get('a');
    await s.get('b');
    expect(loads).toBe(1);
  });

  it('moduleMissing_keychainUnavailable_withHint_notACrash', async () => {
    const s = new KeytarSecretStore({
      load: () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');
      },
    });
    const e = await secretError(s.get('id'));
    expect(e.code).toBe('keychain-unavailable');
    expect(e.message).toMatch(/libsecret-1-0/);
    expect(e.message).toMatch(/Ask for the password every time/);
    expect((await secretError(s.set('id', 'pw'))).code).toBe('keychain-unavailable');
  });

  it('noSecretService_keychainUnavailable', async () => {
    const k = fakeKeytar();
    k.getPassword = async () => {
      throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
    };
    const e = await secretError(new KeytarSecretStore({ load: () => k }).get('id'));
    expect(e.code).toBe('keychain-unavailable');
  });

  it('otherFailure_keychainFailed_passwordNotInMessage', async () => {
    const k = fakeKeytar();
    k.setPassword = async () => {
      throw new Error('Cannot create an item in a locked collection');
    };
    const e = await secretError(new KeytarSecretStore({ load: () => k }).set('id', 'TopSecret!'));
    expect(e.code).toBe('keychain-failed');
    expect(e.message).not.toContain('TopSecret!');
  });

  it('importingTheModule_loadsNoAddon', async () => {
    // The real default loader is only touched on the first call: constructing is free.
    const s = new KeytarSecretStore();
    expect(s).toBeInstanceOf(KeytarSecretStore);
    expect((await secretError(s.set('id', ''))).code).toBe('invalid-argument'); // checked before loading
  });
});
