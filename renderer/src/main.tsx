/** Renderer entry: one store over the window.pptp service, the app, strict mode. */
import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/context';
import './styles/app.css';

// The CSP has no 'unsafe-eval': tell zod not to probe for `new Function` (it would log a violation).
z.config({ jitless: true });

const store = createAppStore();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
