// Lint rules that hold the architecture in place: the core and the shared protocol never import
// `vscode` (they run and are tested under plain Node), and the webview imports only the protocol.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  paths: [{ name: 'vscode', message: 'src/core and src/shared run under plain Node: inject what you need instead.' }],
};

export default tseslint.config(
  { ignores: ['demo/**', 'dist/**', 'media/dist/**', 'node_modules/**', 'out/**', 'test-results/**', '.vscode-test/**'] },
  js.configs.recommended,
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noVscode] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      // Type-only namespaces group the message unions by direction (FromWebview / ToWebview).
      '@typescript-eslint/no-namespace': 'off',
      'no-restricted-imports': ['error', { ...noVscode, patterns: [{ group: ['*', '!./*'], message: 'The protocol imports nothing.' }] }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noVscode,
          patterns: [
            { group: ['../core/*', '../../core/*', '../chat/*', '../platform/*', '../status/*', '../batches/*', '../../platform/*'], message: 'The webview may import only src/shared.' },
            { group: ['node:*', '@anthropic-ai/*'], message: 'The webview runs in a browser sandbox.' },
          ],
        },
      ],
    },
  },
);
