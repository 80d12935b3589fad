/**
 * Vite build of the renderer: root is renderer/, output dist/renderer/ with relative asset paths
 * (base './') so the same files load from file:// in Electron and from a plain HTTP server in the
 * browser end-to-end tests. No inline scripts or styles are emitted (the CSP forbids them).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Vite runs this file in Node; import.meta.dirname is this folder (no node:* import: the renderer
// lint forbids them, and this file needs none).
const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}/../dist/renderer`,
    emptyOutDir: true,
    // Keep the module-preload helper out of the HTML (it would be an inline script).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    // Rolldown warns about slow plugins when the machine is busy; that is noise in the build log.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
