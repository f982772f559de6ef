import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { remainingMs, unlessDied } from './waits';

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

/** The Playground's header and compose box, which cover the chat's top and bottom. */
const CHROME_HEIGHT = 300;

/**
 * The Chromium that Debian ships (apt-get install chromium): a downloaded browser would be a
 * second, unpinned binary outside the package manager.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    timeout: remainingMs(),
    // Playwright already gives each launch a fresh temporary profile; the rest keeps Chromium off the network.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
    teams.followBudget();
    // The Playground's UI is one 9 MB script: evaluating it took 10–16 s on a busy 2-CPU runner, longer under more load.
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator(SELECTORS.compose).waitFor();
    return teams;
  }

  /**
   * Every Playwright action and wait on this page (a click waits for its button) may take what is left
   * of the current budget (waits.ts); the suite calls this as each flow starts.
   */
  followBudget(): void {
    this.context.setDefaultTimeout(remainingMs());
    this.context.setDefaultNavigationTimeout(remainingMs());
  }

  bubbles(): Locator {
    return this.page.locator(SELECTORS.botBubble);
  }

  bubbleCount(): Promise<number> {
    return this.bubbles().count();
  }

  /** Waits until more than `before` bot bubbles are shown, however long hibi takes; resolves to the first new one. */
  async newBubbleAfter(before: number): Promise<Locator> {
    // Bubbles are only ever appended, so the one at index `before` exists once a new one has arrived.
    await unlessDied(this.bubbles().nth(before).waitFor({ state: 'attached', timeout: remainingMs() }));
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

  /**
   * Types a message with @mentions as a person does: "@" opens the Playground's people picker, the
   * first word of the name narrows it, and picking the person makes it a mention (sent as
   * `<at>name</at>` with a mention entity). The picker only exists outside the personal chat.
   */
  async sendWithMentions(parts: readonly (string | { mention: string })[]): Promise<Locator> {
    const before = await this.bubbleCount();
    const compose = this.page.locator(SELECTORS.compose);
    await compose.click();
    for (const part of parts) {
      if (typeof part === 'string') {
        await this.page.keyboard.type(part);
        continue;
      }
      await this.page.keyboard.type(`@${part.mention.split(' ')[0] ?? part.mention}`);
      // By its text: the item's accessible name repeats the name (the avatar's label comes first).
      await this.page
        .getByRole('menuitem')
        .filter({ hasText: new RegExp(`^${escapeRegExp(part.mention)}$`) })
        .click();
    }
    await compose.press('Enter');
    return this.newBubbleAfter(before);
  }

  /** Opens a chat of the Playground's chat list by its title; the first visit installs hibi there. */
  async openChat(title: string): Promise<void> {
    await this.page.getByRole('treeitem', { name: title, exact: true }).click();
    await this.page.locator(SELECTORS.compose).waitFor({ timeout: remainingMs() });
  }

  /** The first bot bubble whose text contains `text`, once there is one. */
  async bubbleWithText(text: string): Promise<Locator> {
    const bubble = this.bubbles().filter({ hasText: text }).first();
    await unlessDied(bubble.waitFor({ state: 'attached', timeout: remainingMs() }));
    return bubble;
  }

  card(bubble: Locator): Locator {
    return bubble.locator(SELECTORS.card);
  }

  /** The card's TextBlocks as shown (labels of inputs are not TextBlocks). */
  async cardTexts(bubble: Locator): Promise<string[]> {
    return (await bubble.locator(SELECTORS.textBlock).allInnerTexts()).map((t) => t.trim());
  }

  /** Waits until a TextBlock of the bubble shows `text` (a card updated in place keeps its bubble). */
  async waitForCardText(bubble: Locator, text: string): Promise<void> {
    await unlessDied(bubble.locator(SELECTORS.textBlock, { hasText: text }).first().waitFor({ timeout: remainingMs() }));
  }

  /** The Adaptive Card input labelled `label` (its accessible name starts with the label text). */
  input(bubble: Locator, label: string): Locator {
    return this.card(bubble).getByLabel(label, { exact: false }).first();
  }

  /** Waits until the bubble shows `text` anywhere (a card replaced by a plain message has no TextBlocks). */
  async waitForText(bubble: Locator, text: string): Promise<void> {
    await unlessDied(bubble.getByText(text, { exact: false }).first().waitFor({ timeout: remainingMs() }));
  }

  /**
   * Picks `option` of a compact Input.ChoiceSet (Input.Time too), which the Playground renders as a
   * Fluent combobox whose list opens outside the card.
   */
  async choose(bubble: Locator, label: string, option: string): Promise<void> {
    await this.input(bubble, label).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /**
   * Narrows a filtered multi-select Input.ChoiceSet by typing, ticks each option, and closes the list.
   * A list that also offers type-ahead search (Data.Query) is drawn with plain options, not checkboxes.
   */
  async chooseMany(bubble: Locator, label: string, filter: string, options: readonly string[]): Promise<void> {
    const input = this.input(bubble, label);
    await input.click();
    await input.pressSequentially(filter);
    for (const option of options) {
      await this.page
        .getByRole('menuitemcheckbox', { name: option, exact: true })
        .or(this.page.getByRole('option', { name: option, exact: true }))
        .click();
    }
    await input.press('Escape');
  }

  /**
   * Types a day into an Input.Date (a Fluent date picker that reads 2026/11/25), as a person may
   * instead of paging the calendar, and leaves the field with Tab, which is when the picker takes the
   * text (Enter would also open its calendar, a modal dialog over the rest of the card).
   */
  async fillDate(bubble: Locator, label: string, isoDay: string): Promise<void> {
    const input = this.input(bubble, label);
    await input.fill(isoDay.replace(/-/g, '/'));
    await input.press('Tab');
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

  /** `timeout` for a failed flow's shots, taken when its budget may already be spent. */
  async screenshotPage(name: string, timeout = remainingMs()): Promise<void> {
    await this.page.screenshot({ path: this.shots.file(`${this.who}-${name}`), fullPage: true, timeout });
  }

  /** What the Playground's log panel says (it is open by default; opened if someone closed it). */
  async logPanelText(): Promise<string> {
    const panel = this.page.locator(SELECTORS.logPanel);
    if ((await panel.count()) === 0) await this.page.locator(SELECTORS.logToggle).click();
    return panel.first().innerText();
  }

  /**
   * Waits until the log panel shows `text`. The panel logs an exchange when its HTTP call returns, which
   * for the person's own message is after hibi's reply is already on the page.
   */
  async waitForLog(text: string): Promise<void> {
    const panel = this.page.locator(SELECTORS.logPanel);
    if ((await panel.count()) === 0) await this.page.locator(SELECTORS.logToggle).click();
    await unlessDied(panel.filter({ hasText: text }).first().waitFor({ timeout: remainingMs() }));
  }

  /** The cards (attachment content) of every message or update the page received, oldest first. */
  cardsReceived(): Record<string, unknown>[] {
    return this.frames.flatMap((f) =>
      (f.message?.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content),
    );
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
