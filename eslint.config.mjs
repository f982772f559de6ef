import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const BOTBUILDER_ONLY_IN_BOT = {
  group: ['botbuilder*', 'botframework-*'],
  message: 'botbuilder is used inside src/bot/ only: pass what it builds in from the composition root (src/app.ts).',
};

/**
 * Another feature's folder is entered through its public file only (src/features/<f>/<f>.public.ts);
 * what it offers at wiring comes from its <f>.module.ts, in app.ts.
 */
const OTHER_FEATURE_NOT_PUBLIC = '([^./][^/]*)/(?!\\1\\.public$)';
const featureImports = (up) => ({
  regex: `^${up}${OTHER_FEATURE_NOT_PUBLIC}`,
  message: 'import another feature through its <feature>.public.ts only (or take what it offers as a dependency from app.ts).',
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', '.cache/', 'coverage/', 'test-results/', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'error',
    },
  },
  {
    // botbuilder stays behind src/bot: the rest of the app sees the bot's ports and plain types only.
    files: ['src/**'],
    ignores: ['src/bot/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [BOTBUILDER_ONLY_IN_BOT] }] },
  },
  {
    files: ['src/features/*/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [BOTBUILDER_ONLY_IN_BOT, featureImports('\\.\\./')] }] },
  },
  {
    files: ['src/features/*/*/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [BOTBUILDER_ONLY_IN_BOT, featureImports('\\.\\./\\.\\./')] }] },
  },
  {
    // Delivery is below the bot: the connector port reaches it from the composition root.
    files: ['src/delivery/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BOTBUILDER_ONLY_IN_BOT,
            { group: ['**/bot/*'], message: 'delivery must not import the bot: take what it needs (the connector port) as a dependency.' },
          ],
        },
      ],
    },
  },
  {
    // The router and the handler context are what features see of a turn: no SDK, so no bot either.
    files: ['src/routing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BOTBUILDER_ONLY_IN_BOT,
            { group: ['**/bot/*'], message: 'routing must not import the bot: the bot builds the handler context and calls the router.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**', 'manifest/**', 'scripts/**', 'src/dev/**', 'src/**/*.cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
