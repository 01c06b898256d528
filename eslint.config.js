// Layer rules live here so that a wrong import fails `npm test`, not a code review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectron = {
  paths: [{ name: 'electron', message: 'The engine, contract and CLI must run without Electron.' }],
  patterns: [
    { group: ['**/electron/**', '**/preload/**'], message: 'Lower layers may not import Electron glue.' },
    { group: ['**/src-renderer/**'], message: 'Main-side code may not import the renderer.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'dist-cli/**',
      'node_modules/**',
      '.es-dist/**',
      'docs/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src-main/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [
            ...noElectron.patterns,
            {
              group: ['node:*', '../engine/**', '../cli/**'],
              message: 'The contract is types and constants only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/engine/**', 'src-main/cli/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through the contract API.' }],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node access.' },
            {
              group: ['**/engine/**', '**/cli/**', '**/electron/**', '**/preload/**'],
              message: 'Only the contract may be imported from src-main.',
            },
          ],
        },
      ],
    },
  },
  {
    // Raw ipcMain/ipcRenderer only inside the typed wrappers.
    files: ['src-main/electron/**', 'src-main/preload/**'],
    ignores: ['src-main/electron/ipc-main.ts', 'src-main/preload/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Use the typed wrappers in src-main/electron/ipc-main.ts.',
        },
        {
          // Events reach the renderer only through the typed emitter (createEmitter), so every
          // channel and payload is checked against the contract's EventMap.
          selector: "CallExpression[callee.property.name='send'][callee.object.property.name='webContents']",
          message: 'Send events with the typed emitter from src-main/electron/ipc-main.ts.',
        },
        {
          selector:
            "CallExpression[callee.property.name='send'][callee.object.name=/^(wc|webContents|contents)$/]",
          message: 'Send events with the typed emitter from src-main/electron/ipc-main.ts.',
        },
      ],
    },
  },
);
