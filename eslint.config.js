// typescript-eslint, strict and type-aware: the rules that catch bugs the compiler lets through
// (floating promises, unsafe any, unnecessary conditions that hide a wrong type, misused spreads).
// Formatting is prettier's job (npm run format:check), imports between stages are dependency-cruiser's
// (npm run deps), dead exports are knip's (npm run deadcode).
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'output/**', 'node_modules/**', 'test/fixtures/**', '**/*.cjs'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // With noUncheckedIndexedAccess every indexed read is `T | undefined`; `xs[i]!` where the code has
      // just established the index is the project's way of saying so. Optional chains would hide a bug.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers and booleans print as themselves in a template; objects, undefined and null must not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `() => void f()` style arrows are clear enough; a void value used anywhere else is not.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // It reads a flag set inside a callback or a method as never changing (csv-scanner's end(),
      // data-file's stoppedEarly) and flags the defensive reads of parsed JSON and of JSON.stringify
      // (which returns undefined for undefined, whatever lib.d.ts says). Both are deliberate here.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests and benchmarks read JSON the product wrote and assert on it: the assertion is the type
    // check, so `any` from JSON.parse is allowed there. Fakes implement async interfaces without
    // awaiting anything, echo request fields as the wire gave them, and type untyped worker messages
    // with a type parameter; `expect(obj.method)` passes methods unbound on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  { files: ['**/*.{js,mjs}'], extends: [tseslint.configs.disableTypeChecked] },
);
