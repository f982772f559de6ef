import { z } from 'zod';

/** One page of a list a card cannot hold whole, with where it sits in the list. */
export interface Page<T> {
  items: T[];
  /** 1-based, clamped to the pages there are. */
  page: number;
  pages: number;
  /** 1-based positions of the page's first and last item (0 and 0 for an empty list). */
  from: number;
  to: number;
  total: number;
}

/** The requested page of `items`, `size` a page; a page past the end is the last one. */
export function pageOf<T>(items: readonly T[], requested: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const page = Math.min(Math.max(1, Math.floor(requested) || 1), pages);
  const slice = items.slice((page - 1) * size, page * size);
  const from = slice.length > 0 ? (page - 1) * size + 1 : 0;
  return { items: slice, page, pages, from, to: from === 0 ? 0 : from + slice.length - 1, total: items.length };
}

/** The page a card submit asks for: a positive whole number, 1 for anything else. */
export function requestedPage(value: unknown, field = 'page'): number {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  const parsed = z.coerce.number().int().min(1).max(100_000).safeParse(raw);
  return parsed.success ? parsed.data : 1;
}
