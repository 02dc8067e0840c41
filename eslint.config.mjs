// ESLint: typescript-eslint's recommended type-checked rules over all our TypeScript and JavaScript.
// Unused exports, files and dependencies are knip's job (knip.jsonc), not ESLint's.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'test/artifacts/'] },
  tseslint.configs.recommendedTypeChecked,
  {
    // a disable comment that no longer disables anything is a finding too
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      // the project service reads tsconfig.json, so ESLint sees exactly the files and options tsc checks
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // in recommendedTypeChecked already; named here because the issue asks for it by name
      '@typescript-eslint/no-floating-promises': 'error',
      // tsc's noUnusedLocals/noUnusedParameters convention: a leading underscore names what is left out on purpose (`{ a: _a, ...rest }`)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // tests read parsed documents (JSON bodies, XML feeds, synthesized CloudFormation) as `any` and assert their shape,
    // and @types/jest types the asymmetric matchers (expect.any, expect.stringContaining) as `any`: a wrong shape fails the test
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // plain JavaScript run by Node as it is (the bin shim, jest's config, this file): outside tsconfig.json, so no type information
    // (pitfall: type-checked rules on a file the project service does not know fail with a parsing error, not a finding)
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // CommonJS: Node and jest load these without a transform, so `require` is how they import
    files: ['bin/storyline.js', 'jest.config.js', 'test/support/longest-first.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
