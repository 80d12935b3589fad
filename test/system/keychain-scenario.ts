/**
 * Scenario for test/system/keychain.test.ts, run inside a private D-Bus session with its own
 * gnome-keyring: `node --import tsx keychain-scenario.ts <mode>`. Prints one JSON line.
 *  roundtrip    set/get/overwrite/delete, a Unicode password, two profiles kept apart, and
 *               the raw keychain entries (service "PPTP Manager", account = profile id)
 *  unavailable  one get() where no Secret Service can be reached: prints the error code
 */
import { createRequire } from 'node:module';
import { KEYCHAIN_SERVICE, KeytarSecretStore } from '../../main/profiles/keychain/keytar-secret-store';
import { SecretStoreError } from '../../main/profiles/keychain/secret-store';

const mode = process.argv[2];
const store = new KeytarSecretStore();
const A = 'a0000000-0000-4000-8000-00000000000a';
const B = 'b0000000-0000-4000-8000-00000000000b';

async function roundtrip(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out.missing = await store.get(A);
  await store.set(A, 'first-pw');
  out.afterSet = await store.get(A);
  await store.set(A, 'second-pw');
  out.afterOverwrite = await store.get(A);
  const unicode = 'пароль-密码-🔐-ß';
  await store.set(B, unicode);
  out.unicodeRoundTrip = (await store.get(B)) === unicode;
  out.aStillOwn = await store.get(A);
  const keytar = createRequire(import.meta.url)('@github/keytar') as {
    findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
  };
  out.accounts = (await keytar.findCredentials(KEYCHAIN_SERVICE)).map((c) => c.account).sort();
  await store.delete(A);
  out.afterDelete = await store.get(A);
  out.bAfterDeletingA = (await store.get(B)) === unicode;
  await store.delete(A); // deleting nothing is not an error
  await store.delete(B);
  out.accountsAtEnd = (await keytar.findCredentials(KEYCHAIN_SERVICE)).map((c) => c.account);
  return out;
}

async function unavailable(): Promise<Record<string, unknown>> {
  try {
    await store.get(A);
    return { code: null };
  } catch (error) {
    return error instanceof SecretStoreError ? { code: error.code, message: error.message } : { code: 'not-a-secret-store-error', message: String(error) };
  }
}

const result = mode === 'roundtrip' ? await roundtrip() : await unavailable();
process.stdout.write(JSON.stringify(result) + '\n');
