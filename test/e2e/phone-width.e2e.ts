import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Locale } from '../../src/i18n/i18n';
import { boundCard, cardNames, layoutProblems, preparePage, render } from './card-render';
import { launchChromium } from './teams-page';
import { FLOW_BUDGET_MS, remainingMs, SETUP_BUDGET_MS, startBudget } from './waits';

/**
 * Every card template (cards/**\/*.card.json bound to its *.sample.json), in Japanese and English,
 * drawn by the Adaptive Cards renderer at a phone's width (Teams mobile draws cards about 320 px wide
 * in a 390 × 844 screen) and at the desktop's: no input too narrow to type in, no text cut off or past
 * the card, no button off-screen. A screenshot of each is kept in test-results/e2e/phone/.
 */

const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'e2e', 'phone');
const WIDTHS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, card: 320 },
  { name: 'desktop', viewport: { width: 1280, height: 1000 }, card: 560 },
] as const;
const LOCALES: readonly Locale[] = ['ja', 'en'];
const CARDS = cardNames();

let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

it('finds every template under cards/', () => {
  expect(CARDS).toEqual(expect.arrayContaining(['oneonone/record', 'checkin/morning', 'nearmiss/report', 'kudos/form']));
});

describe.each(WIDTHS)('at $name width ($card px card)', (width) => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    startBudget(SETUP_BUDGET_MS);
    context = await browser.newContext({ viewport: width.viewport, locale: 'ja-JP', offline: true });
    context.setDefaultTimeout(remainingMs());
    page = await context.newPage();
    await preparePage(page);
  });

  afterAll(async () => {
    await context?.close();
  });

  // Each card's drawing and screenshot may take what a flow may (waits.ts), however busy the machine.
  beforeEach(() => {
    startBudget(FLOW_BUDGET_MS);
    context.setDefaultTimeout(remainingMs());
  });

  const cases = CARDS.flatMap((card) => LOCALES.map((locale) => [card, locale] as const));
  it.each(cases)('%s (%s) fits', async (card, locale) => {
    const events = await render(page, boundCard(card, locale), width.card);
    const shot = path.join(SHOTS, `${card.replace(/\//g, '-')}-${width.card}-${locale}.png`);
    await page.locator('#host').screenshot({ path: shot });
    expect({ events, problems: await layoutProblems(page) }).toEqual({ events: [], problems: [] });
  });
});
