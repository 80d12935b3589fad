/**
 * A second process for the store tests: `node --import tsx store-child.ts <dir> <mode> ...`.
 *  create-many <prefix> <count>  creates <count> profiles named "<prefix> <i>" and exits 0
 *  crash-create <name>           starts a create and SIGKILLs itself between the temp write
 *                                and the rename (the crash the atomic write must survive)
 */
import { ProfileStore } from '../../../../../main/profiles/store/profile-store';

const [dir, mode, ...rest] = process.argv.slice(2);
if (!dir || !mode) throw new Error('usage: store-child.ts <dir> <mode> ...');

if (mode === 'create-many') {
  const [prefix, count] = rest;
  const store = await ProfileStore.open(dir, { lock: { timeoutMs: 20_000 } });
  for (let i = 0; i < Number(count); i++) {
    await store.create({ name: `${prefix} ${i}`, server: 'vpn.example.com' });
  }
  process.stdout.write('done\n');
} else if (mode === 'crash-create') {
  const store = await ProfileStore.open(dir, {
    hooks: {
      afterTempWrite: () => {
        process.kill(process.pid, 'SIGKILL');
        return new Promise(() => undefined);
      },
    },
  });
  await store.create({ name: rest[0] ?? 'crash', server: 'vpn.example.com' });
  process.stdout.write('not reached\n');
} else {
  throw new Error(`unknown mode ${mode}`);
}
