/**
 * `npm run e2e`: the Agents Playground driven by headless Chromium (test/e2e). Kept apart from
 * jest.config.js because it needs /usr/bin/chromium and starts its own Azurite, hibi and Playgrounds,
 * so it has no global Azurite setup.
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  // Flows, setup and teardown pass their own budgets (test/e2e/waits.ts); this covers the files' small hooks.
  testTimeout: 10 * 60_000,
};
