// Lint: typescript-eslint's recommended rules plus the project's layering rules (after VS Code):
//  - main/engine is pure: no sockets, timers, fs, child_process, electron, and no clock reads.
//    Time and randomness come in as arguments (see main/engine/timers.ts, random.ts).
//  - renderer/ never imports from main/ (it talks through the preload contract only).
//  - raw ipcMain/ipcRenderer only in the IPC modules (GitHub Desktop's rule).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const engineForbiddenModules = [
  'net', 'node:net', 'dgram', 'node:dgram', 'timers', 'node:timers', 'timers/promises',
  'node:timers/promises', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process',
  'node:child_process', 'electron', 'raw-socket', 'worker_threads', 'node:worker_threads',
  'os', 'node:os', 'http', 'node:http', 'https', 'node:https', 'tls', 'node:tls',
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'release/**', 'native-helper/build/**', 'test-results/**', '.cache/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: engineForbiddenModules.map((name) => ({
            name,
            message: 'main/engine is pure (sans-I/O): the service does the I/O and passes time in.',
          })),
          patterns: [
            { group: ['**/service/**', '**/app/**', '**/cli'], message: 'main/engine must not depend on outer layers.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'The engine has no timers: arm a TimerTable entry and report nextTimeout().' },
        { name: 'setInterval', message: 'The engine has no timers: arm a TimerTable entry and report nextTimeout().' },
        { name: 'setImmediate', message: 'The engine has no timers.' },
        { name: 'queueMicrotask', message: 'The engine is synchronous.' },
        { name: 'performance', message: 'The engine reads no clock: `now` is an argument.' },
        { name: 'process', message: 'The engine does not touch the process.' },
        { name: 'require', message: 'The engine imports only pure modules.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'The engine reads no clock: `now` is an argument.' },
        { selector: "NewExpression[callee.name='Date']", message: 'The engine reads no clock: `now` is an argument.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Randomness is injected (RandomSource).' },
        { selector: "MemberExpression[object.name='crypto'][property.name='getRandomValues']", message: 'Randomness is injected (RandomSource).' },
        {
          selector: "CallExpression[callee.property.name='slice'][arguments.length=0]",
          message: 'Inputs may be Node Buffers, whose slice() is a view: copy with copyBytes() from wire/bytes.',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', 'electron', 'node:*'], message: 'The renderer talks to main only through preload/contract.ts and window.pptp.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['main/app/ipc/**', 'preload/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'electron', property: 'ipcMain', message: 'Use the typed IPC module (main/app/ipc).' },
        { object: 'electron', property: 'ipcRenderer', message: 'Only preload/ talks to ipcRenderer.' },
      ],
    },
  },
);
