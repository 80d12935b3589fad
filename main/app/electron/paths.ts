/**
 * Where the bundled pieces are at run time, from dist/app/main.js: the renderer entry, the
 * preload bundle and the service bundle (DESIGN.md §4). In development PPTP_DEV_SERVER_URL points
 * the window at the Vite dev server instead of the built renderer.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface AppPaths {
  readonly distDir: string;
  readonly rendererIndex: string;
  readonly rendererUrl: string;
  readonly preload: string;
  readonly serviceScript: string;
  readonly devServerUrl?: string;
}

export function appPaths(mainModuleUrl: string, env: NodeJS.ProcessEnv, isPackaged: boolean): AppPaths {
  const distDir = path.resolve(path.dirname(fileURLToPath(mainModuleUrl)), '..');
  const rendererIndex = path.join(distDir, 'renderer', 'index.html');
  const dev = !isPackaged && env.PPTP_DEV_SERVER_URL ? env.PPTP_DEV_SERVER_URL : undefined;
  return {
    distDir,
    rendererIndex,
    rendererUrl: pathToFileURL(rendererIndex).href,
    preload: path.join(distDir, 'preload', 'index.cjs'),
    serviceScript: path.join(distDir, 'service.mjs'),
    ...(dev ? { devServerUrl: dev } : {}),
  };
}
