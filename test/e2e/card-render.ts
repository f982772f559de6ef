import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { renderCard } from '../../src/cards/render-card';
import { en } from '../../src/i18n/catalog-en';
import { ja } from '../../src/i18n/catalog-ja';
import type { Locale } from '../../src/i18n/i18n';

/**
 * Renders hibi's card templates with the official Adaptive Cards JS renderer (the library Teams and
 * the Agents Playground draw cards with) in a plain offline page, and measures what a person would
 * see: inputs too narrow to type in, text cut off or running past the card, buttons off-screen.
 */

export const CARDS_DIR = path.join(__dirname, '..', '..', 'cards');
const RENDERER = require.resolve('adaptivecards/dist/adaptivecards.js');

/** An input narrower than this cannot show a word of what is typed (the 1on1 action boxes were 1 character). */
export const MIN_INPUT_PX = 120;

/** Every cards/**\/*.card.json, as `feature/name`: a new template is checked without touching the test. */
export function cardNames(dir = CARDS_DIR, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return cardNames(full, `${prefix}${name}/`);
      return name.endsWith('.card.json') ? [`${prefix}${name.slice(0, -'.card.json'.length)}`] : [];
    });
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The samples hold Japanese. For English every string that is a Japanese catalog entry (with its
 * `{params}` filled in) becomes the English entry with the same params; names and free text stay.
 */
const TRANSLATIONS: { pattern: RegExp; params: string[]; english: string; literal: number }[] = Object.entries(ja)
  // An entry that is all params (`{name}`) would match any string.
  .filter(([key, value]) => value.replace(/\{\w+\}/g, '').trim().length >= 2 && key in en)
  .map(([key, value]) => {
    const params: string[] = [];
    const source = value
      .split(/(\{\w+\})/)
      .map((part) => {
        const param = /^\{(\w+)\}$/.exec(part);
        if (!param?.[1]) return escapeRegExp(part);
        params.push(param[1]);
        return '(.+?)';
      })
      .join('');
    return { pattern: new RegExp(`^${source}$`, 's'), params, english: en[key as keyof typeof en], literal: value.replace(/\{\w+\}/g, '').length };
  })
  // Most fixed text first, so `{name}さん` never wins over `{name}さんとの1on1`.
  .sort((a, b) => b.literal - a.literal);

function translateText(text: string): string {
  for (const { pattern, params, english } of TRANSLATIONS) {
    const found = pattern.exec(text);
    if (!found) continue;
    return english.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const at = params.indexOf(name);
      return at >= 0 ? (found[at + 1] ?? whole) : whole;
    });
  }
  return text;
}

function translate(value: Json): Json {
  if (typeof value === 'string') return translateText(value);
  if (Array.isArray(value)) return value.map(translate);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, translate(v)]));
  return value;
}

/** A template bound to its sample, in the language asked for. */
export function boundCard(name: string, locale: Locale): Record<string, unknown> {
  const template = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.card.json`), 'utf8')) as object;
  const sample = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.sample.json`), 'utf8')) as Json;
  return renderCard(template, (locale === 'ja' ? sample : translate(sample)) as object);
}

/**
 * Microsoft Teams' host config (light theme) as the Adaptive Cards designer ships it: the spacing,
 * font sizes and button layout that decide what fits.
 */
export const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Noto Sans CJK JP', 'Noto Sans JP', sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEBE8' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: {
      backgroundColor: '#ffffff',
      foregroundColors: {
        default: { default: '#ff252424', subtle: '#bf252424' },
        dark: { default: '#252424', subtle: '#bf252424' },
        light: { default: '#ffffff', subtle: '#fff3f2f1' },
        accent: { default: '#6264a7', subtle: '#8b8cc7' },
        good: { default: '#92c353', subtle: '#e292c353' },
        warning: { default: '#f8d22a', subtle: '#e2f8d22a' },
        attention: { default: '#c4314b', subtle: '#e2c4314b' },
      },
    },
    emphasis: {
      backgroundColor: '#fff9f8f7',
      foregroundColors: {
        default: { default: '#ff252424', subtle: '#bf252424' },
        accent: { default: '#6264a7', subtle: '#8b8cc7' },
        attention: { default: '#c4314b', subtle: '#e2c4314b' },
      },
    },
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
  },
  adaptiveCard: { allowCustomStyle: true },
  imageSet: { imageSize: 'Medium', maxImageHeight: 100 },
  factSet: {
    title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true },
    value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
    spacing: 16,
  },
  inputs: { label: { requiredInputs: { weight: 'Bolder', suffix: ' *', suffixColor: 'Attention' }, optionalInputs: { weight: 'Bolder' } } },
};

/*
 * The DOM as the page functions below use it. Declared here, module-scoped, rather than adding the
 * "dom" lib, which would make browser globals type-check everywhere in src/.
 */
interface Box {
  left: number;
  right: number;
  width: number;
  height: number;
}
interface El {
  getBoundingClientRect(): Box;
  readonly classList: Iterable<string> & { contains(name: string): boolean };
  readonly tagName: string;
  readonly type?: string;
  getAttribute(name: string): string | null;
  readonly innerText?: string;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly parentElement: El | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  readonly style: { width: string };
  replaceChildren(): void;
  appendChild(child: El): void;
}
interface RendererCard {
  hostConfig: unknown;
  parse(json: object, context: unknown): void;
  render(): El | undefined;
}
interface Renderer {
  AdaptiveCard: new () => RendererCard;
  HostConfig: new (json: object) => unknown;
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
}
declare const window: { AdaptiveCards?: Renderer };
declare const document: { querySelector(selector: string): El | null; getElementById(id: string): El | null; documentElement: El };
declare function getComputedStyle(el: El): { visibility: string; display: string; overflowY: string };

/** A blank page with the renderer loaded; `render` then draws one card at a time into it. */
export async function preparePage(page: Page): Promise<void> {
  await page.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>
      body { margin: 0; padding: 0; background: #f5f5f5; }
      #host { margin: 0 auto; background: #fff; }
    </style></head><body><div id="host"></div></body></html>`,
  );
  await page.addScriptTag({ path: RENDERER });
  await page.waitForFunction(() => window.AdaptiveCards !== undefined);
}

/** What renderer reported while parsing (an unknown element, a dropped property). */
export async function render(page: Page, card: object, widthPx: number): Promise<string[]> {
  return page.evaluate(
    ({ card, hostConfig, widthPx }) => {
      const AC = window.AdaptiveCards;
      const host = document.getElementById('host');
      if (!AC || !host) throw new Error('the renderer page is not ready');
      host.style.width = `${widthPx}px`;
      host.replaceChildren();
      const adaptive = new AC.AdaptiveCard();
      adaptive.hostConfig = new AC.HostConfig(hostConfig);
      const context = new AC.SerializationContext();
      adaptive.parse(card, context);
      const rendered = adaptive.render();
      if (rendered) host.appendChild(rendered);
      const events: string[] = [];
      for (let i = 0; i < context.eventCount; i++) events.push(String(context.getEventAt(i).message));
      return events;
    },
    { card, hostConfig: TEAMS_HOST_CONFIG, widthPx },
  );
}

/**
 * What a person could not read or use on the card just rendered: each line names the element (its
 * class and the start of its text) and what is wrong with it.
 */
export async function layoutProblems(page: Page, minInputPx = MIN_INPUT_PX): Promise<string[]> {
  return page.evaluate((minInput) => {
    const problems: string[] = [];
    const card = document.querySelector('#host .ac-adaptiveCard');
    if (!card) return ['no card was rendered'];
    const cardBox = card.getBoundingClientRect();
    const viewport = document.documentElement.clientWidth;
    const visible = (el: El): boolean => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const describe = (el: El): string => {
      const label = el.getAttribute('aria-label') ?? el.getAttribute('title') ?? el.innerText ?? '';
      const cls = [...el.classList].filter((c) => c.startsWith('ac-')).join('.') || el.tagName.toLowerCase();
      return `${cls} "${label.replace(/\s+/g, ' ').trim().slice(0, 30)}"`;
    };
    // Inputs: a box one can type or pick in, as wide as a few words. Radio buttons and check boxes are
    // judged by their labels instead (text checks below).
    for (const input of card.querySelectorAll('.ac-input')) {
      if (!visible(input)) continue;
      if (input.tagName === 'INPUT' && (input.type === 'radio' || input.type === 'checkbox')) continue;
      if (input.classList.contains('ac-choiceSetInput-expanded') || input.classList.contains('ac-toggleInput')) continue;
      const width = input.getBoundingClientRect().width;
      if (width < minInput) problems.push(`input ${describe(input)} is ${Math.round(width)} px wide (< ${minInput})`);
    }
    // Text: cut off (ellipsis or clamp hides some of it) or running past the card's right edge.
    const texts = card.querySelectorAll('.ac-textBlock, .ac-richTextBlock, .ac-factset td, label, .ac-pushButton, .ac-pushButton > div');
    for (const el of texts) {
      if (!visible(el)) continue;
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`text ${describe(el)} is cut off (${el.scrollWidth} px in ${el.clientWidth})`);
      else if (el.scrollHeight > el.clientHeight + 2 && getComputedStyle(el).overflowY === 'hidden')
        problems.push(`text ${describe(el)} is cut off below (${el.scrollHeight} px in ${el.clientHeight})`);
    }
    for (const el of card.querySelectorAll('*')) {
      if (!visible(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.right > cardBox.right + 1 || box.left < cardBox.left - 1) {
        // Report the outermost element only: its children overflow with it.
        const parent = el.parentElement;
        const parentBox = parent?.getBoundingClientRect();
        if (parent && parent !== card && parentBox && (parentBox.right > cardBox.right + 1 || parentBox.left < cardBox.left - 1)) continue;
        problems.push(
          `${describe(el)} runs past the card (${Math.round(box.left - cardBox.left)}..${Math.round(box.right - cardBox.left)} of ${Math.round(cardBox.width)} px)`,
        );
      }
    }
    if (card.scrollWidth > card.clientWidth + 1) problems.push(`the card scrolls sideways (${card.scrollWidth} px in ${card.clientWidth})`);
    // Buttons: all on screen, none squeezed to nothing.
    for (const button of card.querySelectorAll('.ac-pushButton')) {
      if (!visible(button)) {
        problems.push(`button ${describe(button)} is not shown`);
        continue;
      }
      const box = button.getBoundingClientRect();
      if (box.left < 0 || box.right > viewport)
        problems.push(`button ${describe(button)} is off-screen (${Math.round(box.left)}..${Math.round(box.right)} of ${viewport} px)`);
    }
    return problems;
  }, minInputPx);
}
