import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startStack, type HibiEnv, type Stack } from './stack';
import { Store } from './store';
import { launchChromium, ScreenshotBook, TeamsPage } from './teams-page';
import { FLOW_BUDGET_MS, SETUP_BUDGET_MS, startBudget, TEARDOWN_BUDGET_MS } from './waits';

/**
 * What every e2e file shares: its own stack (Azurite, hibi, one Playground per person), one
 * Chromium, each person's chat opened (which installs hibi for them), flows that stop at the first
 * failure, and the final check of the Playground's log panel. A file per feature calls e2eSuite once.
 */

const RESULTS_DIR = path.resolve(__dirname, '..', '..', 'test-results', 'e2e');

/**
 * The Playground prefixes every warning and error in its log panel with these (its client bundle,
 * function rendering log levels); unsupported card features ("Full width control is not supported
 * yet in Microsoft 365 Agents playground…", cut short in the panel) are warnings. The phrases are a
 * second net should the prefixes change.
 */
const PLAYGROUND_WARNINGS = [
  /\(!\) Warning:/,
  /\(×\) Error:/,
  /is not supported yet/i,
  /unknown attachment type/i,
  /Invalid message received/i,
  /Unknown action type/i,
];
/**
 * The one warning expected: the ありがとう card's recipient list offers Teams' type-ahead search
 * (Data.Query), which the Playground does not do ("Typeahead Search is not supported yet in Microsoft
 * 365 Agents playground, you can try it in real env"); it falls back to the card's static choices, as
 * the card is built to, and the kudos flow picks from those.
 */
const EXPECTED_WARNINGS = [/Typeahead Search is not supported yet/i];
/** A logged exchange, e.g. "User Application -> Microsoft 365 Agents Playground message 201". */
const LOGGED_EXCHANGE = /(?:User Application|Microsoft 365 Agents Playground) -> (?:User Application|Microsoft 365 Agents Playground) (\w+) (\d{3})\b/;

export interface SuiteOptions {
  /** The file's folder under test-results/e2e: its screenshots, logs and Playground configs. */
  name: string;
  hibi: HibiEnv;
  /** Person id → the people listed in that person's Playground (the ones they can @mention). */
  people: Record<string, readonly string[]>;
}

export interface E2eSuite {
  readonly outDir: string;
  readonly stack: Stack;
  readonly store: Store;
  /** The chat of one of the people played. */
  page(personId: string): TeamsPage;
  nameOf(personId: string): string;
  /**
   * A test of the file's story. The flows build on each other (one chat, one store); once one fails
   * the rest would only time out, so they stop at once and the failing flow leaves screenshots of every chat.
   * Its waits share one budget (waits.ts).
   */
  flow(name: string, run: () => Promise<void>): void;
  /** The file's last test: no page's log panel reports an unsupported card feature or a failed call. */
  logPanelsClean(): void;
}

export function e2eSuite(options: SuiteOptions): E2eSuite {
  const outDir = path.join(RESULTS_DIR, options.name);
  let stack: Stack | undefined;
  let store: Store | undefined;
  let browser: Browser | undefined;
  const pages = new Map<string, TeamsPage>();
  let broken: string | undefined;

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the e2e stack is not running (beforeAll failed)');
    return value;
  };

  beforeAll(async () => {
    startBudget(SETUP_BUDGET_MS);
    rmSync(outDir, { recursive: true, force: true });
    const shots = new ScreenshotBook(outDir);
    // Chromium starts while the servers do; allSettled so afterAll can stop whichever did start.
    const [running, launched] = await Promise.allSettled([startStack({ outDir, hibi: options.hibi, people: options.people }), launchChromium()]);
    if (launched.status === 'fulfilled') browser = launched.value;
    if (running.status === 'rejected') throw running.reason;
    stack = running.value;
    store = new Store(stack.tables);
    if (launched.status === 'rejected') throw launched.reason;
    const opened = await Promise.all(
      Object.keys(options.people).map(async (id) => {
        const playground = started(stack).playgrounds.get(id);
        if (!playground) throw new Error(`no Playground for ${id}`);
        return TeamsPage.open(started(browser), playground.url, id, shots);
      }),
    );
    for (const page of opened) pages.set(page.who, page);
    // Opening the chat installs hibi (installationUpdate + conversationUpdate): it stores the
    // conversation, which is what lets it reach the person later, and says welcome.
    for (const page of opened) {
      const welcome = await page.newBubbleAfter(0);
      expect(await welcome.innerText()).toContain('hibi をインストールしていただきありがとうございます');
    }
  }, SETUP_BUDGET_MS);

  afterAll(async () => {
    startBudget(TEARDOWN_BUDGET_MS);
    for (const page of pages.values()) await page.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  }, TEARDOWN_BUDGET_MS);

  const suite: E2eSuite = {
    outDir,
    get stack() {
      return started(stack);
    },
    get store() {
      return started(store);
    },
    page(personId) {
      const page = pages.get(personId);
      if (!page) throw new Error(`${personId} has no page in this suite`);
      return page;
    },
    nameOf(personId) {
      const person = started(stack).directory.people.find((p) => p.id === personId);
      if (!person) throw new Error(`no ${personId} in the demo directory`);
      return person.name;
    },
    flow(name, run) {
      test(
        name,
        async () => {
          if (broken) throw new Error(`not run: "${broken}" failed first`);
          startBudget(FLOW_BUDGET_MS);
          for (const page of pages.values()) page.followBudget();
          try {
            await run();
          } catch (error) {
            broken = name;
            // Within the margin waits.ts leaves before jest's own timeout.
            for (const page of pages.values()) await page.screenshotPage('FAILED', 3_000).catch(() => undefined);
            throw error;
          }
        },
        FLOW_BUDGET_MS,
      );
    },
    logPanelsClean() {
      suite.flow('the Playground reports no unsupported card feature or failed request in its log panel', async () => {
        for (const page of pages.values()) {
          const log = await page.logPanelText();
          writeFileSync(path.join(outDir, `playground-log-panel-${page.who}.txt`), log);
          // Guards against reading an empty or wrong panel: the install at page open is always logged.
          expect(log).toContain('installationUpdate');
          const lines = log.split('\n');
          const warnings = lines.filter((line) => PLAYGROUND_WARNINGS.some((pattern) => pattern.test(line)));
          expect(warnings.filter((line) => !EXPECTED_WARNINGS.some((pattern) => pattern.test(line)))).toEqual([]);
          // Every call either way (hibi's replies, card updates and proactive sends; the Playground's posts) succeeded.
          const exchanges = lines.flatMap((line) => {
            const match = LOGGED_EXCHANGE.exec(line);
            return match ? [{ line, status: Number(match[2]) }] : [];
          });
          expect(exchanges.length).toBeGreaterThan(0);
          expect(exchanges.filter((e) => e.status < 200 || e.status > 299).map((e) => e.line)).toEqual([]);
          await page.screenshotPage('chat');
        }
      });
    },
  };
  return suite;
}
