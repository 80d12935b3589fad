/**
 * Scenario: TunDevice open/close behaviour inside a namespace: a requested name, a name clash,
 * an invalid name, the interface disappearing on close, idempotent close, write after close.
 */
import { TunDevice } from '../../../main/service/tun/tun-device';
import { emit, fail, sh } from './common';

async function linkExists(name: string): Promise<boolean> {
  return (await sh('ip', ['link', 'show', 'dev', name])).code === 0;
}

async function main(): Promise<void> {
  const named = TunDevice.open({ name: 'pptptest0' });
  if (!named.ok) throw named.error;
  const existsWhileOpen = await linkExists('pptptest0');
  const clash = TunDevice.open({ name: 'pptptest0' });
  const invalid = TunDevice.open({ name: 'bad name;rm' });
  const kernelNamed = TunDevice.open();
  if (!kernelNamed.ok) throw kernelNamed.error;
  const kernelName = kernelNamed.value.name;
  kernelNamed.value.close();
  let closeEvents = 0;
  named.value.on('close', () => closeEvents++);
  named.value.close();
  named.value.close();
  const existsAfterClose = await linkExists('pptptest0');
  const writeAfterClose = named.value.write(new Uint8Array(20));
  emit({
    name: named.value.name,
    existsWhileOpen,
    clash: clash.ok ? 'opened' : { code: clash.error.code, errno: clash.error.errno },
    invalid: invalid.ok ? 'opened' : { code: invalid.error.code, errno: invalid.error.errno },
    kernelName,
    closeEvents,
    existsAfterClose,
    writeAfterClose,
  });
}

main().catch(fail);
