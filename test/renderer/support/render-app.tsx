/**
 * Renders the whole app (or one component) over a FakeMain: installs its bridge as the service's
 * bridge, creates a fresh store, and waits for the first load. Call `cleanupApp` after each test
 * (Vitest globals are off, so Testing Library does not clean up by itself).
 */
import { act, cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { App } from '../../../renderer/src/App';
import { setBridge } from '../../../renderer/src/services/bridge';
import { createAppStore, type AppStore } from '../../../renderer/src/store/app-store';
import { StoreProvider } from '../../../renderer/src/store/context';
import { FakeMain } from './fake-bridge';

export interface Rendered extends RenderResult {
  fake: FakeMain;
  store: AppStore;
}

export function installFake(fake = new FakeMain()): { fake: FakeMain; store: AppStore } {
  setBridge(fake.bridge);
  return { fake, store: createAppStore() };
}

/** Lets pending promises (bridge calls) and the React updates they cause settle. */
export async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
  });
}

export async function renderApp(fake = new FakeMain()): Promise<Rendered> {
  const { store } = installFake(fake);
  const result = render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await settle();
  return { ...result, fake, store };
}

export async function renderWithStore(ui: ReactElement, fake = new FakeMain(), prepare?: (store: AppStore) => Promise<void> | void): Promise<Rendered> {
  const { store } = installFake(fake);
  if (prepare) await prepare(store);
  const result = render(<StoreProvider store={store}>{ui}</StoreProvider>);
  await settle();
  return { ...result, fake, store };
}

export function cleanupApp(): void {
  cleanup();
  setBridge(null);
  delete document.documentElement.dataset.theme;
}
