import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'fixtures/disk-images/**', '**/*.cjs'] },
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
  { files: ['test/**', 'bench/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-imports': 'off' } },
);
