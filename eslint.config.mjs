import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const BOTBUILDER_ONLY_IN_BOT = {
  group: ['botbuilder*', 'botframework-*'],
  message: 'botbuilder is used inside src/bot/ only: pass what it builds in from the composition root (src/app.ts).',
};

/**
 * Another feature's folder is entered through its public file only (src/features/<f>/<f>.public.ts);
 * what it offers at wiring comes from its <f>.module.ts, in app.ts. Not restricted: org/ and
 * preferences/ (the directory and language layers, still under features/), and the contracts KPI and
 * the data lifecycle ask features to implement.
 */
const OTHER_FEATURE_NOT_PUBLIC =
  '(?!(?:org|preferences)/|kpi/(?:kpi\\.policy|kpi\\.types|report/report-scope)$|data/(?:person-table|table-scan|person-records/rule-helpers)$)([^./][^/]*)/(?!\\1\\.public$)';
const featureImports = (up) => ({
  regex: `^${up}${OTHER_FEATURE_NOT_PUBLIC}`,
  message: 'import another feature through its <feature>.public.ts only (or take what it offers as a dependency from app.ts).',
});

/** Files that still import other features' internals (KPI and the data lifecycle read every feature's records): each moves to the public files, then leaves this list. */
const FEATURE_FILES_NOT_YET_THROUGH_PUBLIC = [
  'src/features/data/cli/backup.cli.ts',
  'src/features/data/person-records.ts',
  'src/features/data/person-records/kudos.records.ts',
  'src/features/data/person-records/nearmiss.records.ts',
  'src/features/data/person-records/oneonone.records.ts',
  'src/features/data/retention.ts',
  'src/features/kpi/cli/cli-context.ts',
  'src/features/kpi/cli/export-kudos.cli.ts',
  'src/features/kpi/kpi.feature-sources.ts',
  'src/features/kpi/kpi.figures.ts',
  'src/features/kpi/kpi.kudos-csv.ts',
  'src/features/kpi/kpi.rollup.ts',
  'src/features/kpi/kpi.sources.ts',
  'src/features/kpi/report/kpi-format.ts',
  'src/features/survey/survey.handlers.ts',
];

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
    ignores: FEATURE_FILES_NOT_YET_THROUGH_PUBLIC,
    rules: { 'no-restricted-imports': ['error', { patterns: [BOTBUILDER_ONLY_IN_BOT, featureImports('\\.\\./')] }] },
  },
  {
    files: ['src/features/*/*/*.ts'],
    ignores: FEATURE_FILES_NOT_YET_THROUGH_PUBLIC,
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
    files: ['test/**', 'bench/**', 'manifest/**', 'scripts/**', 'src/dev/**', 'src/**/*.cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
