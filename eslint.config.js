import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'bench/work/**', 'fixtures/work/**', 'fixtures/disk-images/**', '**/*.cjs'] },
  { languageOptions: { globals: globals.node } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // Only src/tui/terminal may talk to blessed (DESIGN.md).
      'no-restricted-imports': ['error', { paths: [{ name: 'blessed', message: 'only src/tui/terminal imports blessed' }] }],
    },
  },
  { files: ['src/tui/terminal/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['test/**', 'bench/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-imports': 'off', 'no-control-regex': 'off' } },
);
