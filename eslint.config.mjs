// ESLint: typescript-eslint's type-checked recommended rules on the sources, the plain
// recommended rules on tests and scripts, and the house's layering rule: only collect/
// and cli/ (and the lazy wrappers they load) touch the file system, processes, the
// network or the environment. Why ESLint and Prettier: CONTRIBUTING.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules that reach the node or the network. */
const SYSTEM_MODULES = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'dns',
  'dns/promises',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'os',
  'process',
  'worker_threads',
  'cluster',
];
const systemImports = {
  paths: [...SYSTEM_MODULES.flatMap((m) => [m, `node:${m}`]), 'execa'].map((name) => ({
    name,
    message: 'Only src/collect and src/cli reach the node, processes or the network; pass what they read down as data (DESIGN.md, layers).',
  })),
};
const systemProperties = ['env', 'exit', 'exitCode', 'argv', 'stdout', 'stderr', 'stdin', 'cwd', 'chdir', 'kill'].map((property) => ({
  object: 'process',
  property,
  message: 'Only src/collect and src/cli read the process; take it as an argument.',
}));
const systemBuiltins = {
  selector:
    "CallExpression[callee.property.name='getBuiltinModule'][arguments.0.value=/^(node:)?(fs|child_process|net|dns|https?|http2|tls|dgram|os|worker_threads|cluster)(\\/|$)/]",
  message: 'Only src/collect and src/cli reach the node, processes or the network.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'src/generated/**', 'node_modules/**', '.tap/**', 'coverage/**', 'ansible/**'] },
  js.configs.recommended,
  // Parsers and the redactor match control characters on purpose: they are what systemd, Go and YAML treat specially.
  { rules: { 'no-control-regex': 'off' } },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': ['error', systemImports],
      'no-restricted-properties': ['error', ...systemProperties],
      'no-restricted-syntax': ['error', systemBuiltins],
    },
  },
  {
    // The layers that may touch the system.
    files: ['src/collect/**/*.ts', 'src/cli/**/*.ts', 'src/lazy/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Expected report lines are matched with their literal column spacing.
      'no-regex-spaces': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
