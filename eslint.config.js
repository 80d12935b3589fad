// Lint: typescript-eslint's recommended rules plus the project's layering rules (after VS Code).
// Each rule has a probe test in test/unit/lint/layering.test.ts that proves it bites.
//  - main/engine is pure: no sockets, timers, fs, child_process, electron, and no clock reads.
//    Time and randomness come in as arguments (see main/engine/timers.ts, random.ts). From
//    preload/ it may import only preload/vocabulary.ts.
//  - renderer/ never imports from main/ (it talks through the preload contract only).
//  - raw ipcMain/ipcRenderer only in the IPC modules (GitHub Desktop's rule).
//  - pptpctl (main/cli.ts, main/cli/) runs without Electron: nothing from main/app or electron.
//  - main/service (the privileged tunnel service) knows no app, profiles, CLI or Electron.
//  - main/profiles and main/log serve both the app and pptpctl: nothing from main/app, the CLI
//    or electron.
//  - preload/vocabulary.ts imports nothing at all (the engine and the renderer both import it).
// Static imports are checked by no-restricted-imports; dynamic import() by a no-restricted-syntax
// selector on the import's source (layerImportRules below).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const engineForbiddenModules = [
  'net', 'node:net', 'dgram', 'node:dgram', 'timers', 'node:timers', 'timers/promises',
  'node:timers/promises', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process',
  'node:child_process', 'electron', 'pptp-native-helper', 'worker_threads', 'node:worker_threads',
  'os', 'node:os', 'http', 'node:http', 'https', 'node:https', 'tls', 'node:tls',
];

// Import sources naming a layer folder (`../app/core`, `./app`), or electron. esquery regexes
// cannot contain "/", hence \x2F.
const layerSource = {
  app: { globs: ['**/app', '**/app/**'], re: String.raw`/(^|\x2F)app(\x2F|$)/` },
  cli: { globs: ['**/cli', '**/cli/**'], re: String.raw`/(^|\x2F)cli(\x2F|$)/` },
  profiles: { globs: ['**/profiles', '**/profiles/**'], re: String.raw`/(^|\x2F)profiles(\x2F|$)/` },
  electron: { globs: ['electron', 'electron/*'], re: String.raw`/^electron(\x2F|$)/` },
};

/** no-restricted-imports + a dynamic-import selector forbidding `layers` with `message`. */
function layerImportRules(layers, message) {
  return {
    'no-restricted-imports': ['error', { patterns: [{ group: layers.flatMap((l) => layerSource[l].globs), message }] }],
    'no-restricted-syntax': ['error', ...layers.map((l) => ({ selector: `ImportExpression[source.value=${layerSource[l].re}]`, message }))],
  };
}

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
            {
              group: ['**/preload/**', '!**/preload/vocabulary'],
              message: 'From preload/, main/engine imports only preload/vocabulary.ts (plain names, no zod, no IPC).',
            },
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
    files: ['main/cli.ts', 'main/cli/**/*.ts'],
    rules: layerImportRules(['app', 'electron'], 'pptpctl runs without Electron: it imports nothing from main/app (profiles are in main/profiles, redaction in main/log).'),
  },
  {
    files: ['main/service/**/*.ts'],
    rules: layerImportRules(
      ['app', 'profiles', 'cli', 'electron'],
      'main/service is the privileged tunnel service: no app, profiles, CLI or Electron (callers pass ConnectOptions).',
    ),
  },
  {
    files: ['main/profiles/**/*.ts', 'main/log/**/*.ts'],
    rules: layerImportRules(['app', 'cli', 'electron'], 'main/profiles and main/log serve both the app and pptpctl: nothing from main/app, the CLI or Electron.'),
  },
  {
    files: ['preload/vocabulary.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['ImportDeclaration', 'ImportExpression', 'ExportAllDeclaration', 'ExportNamedDeclaration[source]', 'TSImportEqualsDeclaration', "CallExpression[callee.name='require']"].map(
          (selector) => ({ selector, message: 'preload/vocabulary.ts imports nothing: the engine and the renderer both depend on it.' }),
        ),
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
