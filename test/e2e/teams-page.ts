import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * The Agents Playground's chat as a person sees it. Its CSS classes are hashed per build, so only
 * these hooks are used: Fluent AI's output card (bot bubbles only), Adaptive Cards' own classes,
 * and the ARIA attributes of the compose box and buttons.
 */
const SELECTORS = {
  compose: 'div[contenteditable="true"][role="textbox"][data-lexical-editor="true"]',
  botBubble: '.fai-OutputCard',
  card: '.ac-adaptiveCard',
  textBlock: '.ac-textBlock',
  logPanel: 'div[contenteditable="true"][spellcheck="false"]',
  logToggle: 'button[title="Toggle Log Panel"]',
} as const;

export const REPLY_TIMEOUT_MS = 20_000;
/** The Playground's UI is one 9 MB script; on a busy 2-CPU runner evaluating it took 10–16 s. */
const PAGE_OPEN_TIMEOUT_MS = 60_000;
/** The Playground's header and compose box, which cover the chat's top and bottom. */
const CHROME_HEIGHT = 300;

/**
 * The Chromium that Debian ships (apt-get install chromium): a downloaded browser would be a
 * second, unpinned binary outside the package manager.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    // Playwright already gives each launch a fresh temporary profile; the rest keeps Chromium off the network.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** Numbers screenshots in the order they were taken, so the folder reads as the story of the run. */
export class ScreenshotBook {
  private next = 1;
  readonly taken: string[] = [];

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  file(name: string): string {
    const file = path.join(this.dir, `${String(this.next++).padStart(2, '0')}-${name}.png`);
    this.taken.push(file);
    return file;
  }
}

/** One activity the Playground pushed to its page over the conversation WebSocket. */
export interface ConversationFrame {
  action: string;
  actionConversationId?: string;
  message?: {
    messageId?: string;
    text?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
}

export class TeamsPage {
  /** Every conversation frame received, in order: the exact JSON hibi sent (cards included). */
  readonly frames: ConversationFrame[] = [];

  private constructor(
    readonly who: string,
    readonly page: Page,
    private readonly context: BrowserContext,
    private readonly shots: ScreenshotBook,
  ) {}

  /** A fresh browser context per person: nothing (storage, cookies) leaks between the two chats. */
  static async open(browser: Browser, url: string, who: string, shots: ScreenshotBook): Promise<TeamsPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'ja-JP' });
    // The UI asks a CDN for Segoe UI; offline that only costs a DNS timeout per font, and a test must
    // not depend on the internet anyway. Japanese text falls back to fonts-noto-cjk.
    await context.route(
      (u) => u.hostname !== 'localhost' && u.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    const page = await context.newPage();
    const teams = new TeamsPage(who, page, context, shots);
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/_ws_conversation/')) return;
      ws.on('framereceived', (frame) => {
        try {
          const parsed = JSON.parse(String(frame.payload)) as ConversationFrame;
          if (typeof parsed.action === 'string') teams.frames.push(parsed);
        } catch {
          // Keep-alives and other non-JSON frames carry no activity.
        }
      });
    });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: PAGE_OPEN_TIMEOUT_MS });
    await page.locator(SELECTORS.compose).waitFor({ timeout: PAGE_OPEN_TIMEOUT_MS });
    return teams;
  }

  bubbles(): Locator {
    return this.page.locator(SELECTORS.botBubble);
  }

  bubbleCount(): Promise<number> {
    return this.bubbles().count();
  }

  /** Waits until more than `before` bot bubbles are shown; resolves to the first new one. */
  async newBubbleAfter(before: number, timeout = REPLY_TIMEOUT_MS): Promise<Locator> {
    // Bubbles are only ever appended, so the one at index `before` exists once a new one has arrived.
    await this.bubbles().nth(before).waitFor({ state: 'attached', timeout });
    return this.bubbles().nth(before);
  }

  /** Types into the compose box and presses Enter, as a person does; resolves to hibi's first reply bubble. */
  async send(text: string): Promise<Locator> {
    const before = await this.bubbleCount();
    const compose = this.page.locator(SELECTORS.compose);
    await compose.click();
    await compose.fill(text);
    await compose.press('Enter');
    return this.newBubbleAfter(before);
  }

  card(bubble: Locator): Locator {
    return bubble.locator(SELECTORS.card);
  }

  /** The card's TextBlocks as shown (labels of inputs are not TextBlocks). */
  async cardTexts(bubble: Locator): Promise<string[]> {
    return (await bubble.locator(SELECTORS.textBlock).allInnerTexts()).map((t) => t.trim());
  }

  /** Waits until a TextBlock of the bubble shows `text` (a card updated in place keeps its bubble). */
  async waitForCardText(bubble: Locator, text: string, timeout = REPLY_TIMEOUT_MS): Promise<void> {
    await bubble.locator(SELECTORS.textBlock, { hasText: text }).first().waitFor({ timeout });
  }

  /** The Adaptive Card input labelled `label` (its accessible name starts with the label text). */
  input(bubble: Locator, label: string): Locator {
    return this.card(bubble).getByLabel(label, { exact: false }).first();
  }

  async screenshotCard(bubble: Locator, name: string): Promise<void> {
    const card = this.card(bubble);
    const box = await card.boundingBox();
    const viewport = this.page.viewportSize();
    // The Playground's header is fixed over the chat: a card taller than the window (the help card)
    // would be shot with the header across its top, so the window grows to fit it for the shot.
    const tall = box !== null && viewport !== null && box.height + CHROME_HEIGHT > viewport.height;
    if (tall && viewport) await this.page.setViewportSize({ width: viewport.width, height: Math.ceil(box.height) + CHROME_HEIGHT });
    try {
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: this.shots.file(`${this.who}-${name}`) });
    } finally {
      if (tall && viewport) await this.page.setViewportSize(viewport);
    }
  }

  async screenshotPage(name: string): Promise<void> {
    await this.page.screenshot({ path: this.shots.file(`${this.who}-${name}`), fullPage: true });
  }

  /** What the Playground's log panel says (it is open by default; opened if someone closed it). */
  async logPanelText(): Promise<string> {
    const panel = this.page.locator(SELECTORS.logPanel);
    if ((await panel.count()) === 0) await this.page.locator(SELECTORS.logToggle).click();
    return panel.first().innerText();
  }

  /** The cards (attachment content) of every message or update the page received, oldest first. */
  cardsReceived(): Record<string, unknown>[] {
    return this.frames.flatMap((f) => (f.message?.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content));
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
