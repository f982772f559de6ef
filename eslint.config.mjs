import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const BOTBUILDER_ONLY_IN_BOT = {
  group: ['botbuilder*', 'botframework-*'],
  message: 'botbuilder is used inside src/bot/ only: pass what it builds in from the composition root (src/app.ts).',
};

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
    // Delivery is below the bot: the connector port reaches it from the composition root.
    files: ['src/delivery/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [BOTBUILDER_ONLY_IN_BOT, { group: ['**/bot/*'], message: 'delivery must not import the bot: take what it needs (the connector port) as a dependency.' }] }] },
  },
  {
    files: ['test/**', 'bench/**', 'manifest/**', 'scripts/**', 'src/dev/**', 'src/**/*.cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
