import type { InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import type { Person } from '../directory/org.schema';
import type { Logger } from '../shared/logger';
import type { SearchResult } from '../routing/handler-context';
import type { Router } from '../routing/router';

/** The invoke Teams sends while someone types into a ChoiceSet whose `choices.data` is a Data.Query. */
export const SEARCH_INVOKE = 'application/search';

/** Teams shows at most this many type-ahead choices, whatever `top` says. */
export const MAX_SEARCH_RESULTS = 15;

const searchValueSchema = z.object({
  dataset: z.string().min(1).max(100),
  queryText: z.string().max(200).default(''),
  queryOptions: z
    .object({ skip: z.number().int().min(0).max(10_000).default(0), top: z.number().int().min(1).max(1000).default(MAX_SEARCH_RESULTS) })
    .default({ skip: 0, top: MAX_SEARCH_RESULTS }),
});

export function searchResponse(results: readonly SearchResult[]): InvokeResponse {
  return { status: 200, body: { type: 'application/vnd.microsoft.search.searchResponse', value: { results } } };
}

/**
 * Answers a type-ahead invoke from the dataset's SearchRoute. Anything it cannot serve (an unknown
 * dataset, a malformed value, someone not in the directory) gets an empty list rather than an error:
 * the card keeps its static choices, so the person can still pick. The typed text is never logged.
 */
export async function answerSearch(router: Router, tenantId: string, person: Person | undefined, value: unknown, logger: Logger): Promise<InvokeResponse> {
  const parsed = searchValueSchema.safeParse(value);
  const route = parsed.success ? router.searchFor(parsed.data.dataset) : undefined;
  if (!parsed.success || !route || !person) {
    logger.info({ tenantId, known: person !== undefined, dataset: parsed.success ? parsed.data.dataset : undefined }, 'type-ahead search not served');
    return searchResponse([]);
  }
  const { queryText, queryOptions } = parsed.data;
  const top = Math.min(queryOptions.top, MAX_SEARCH_RESULTS);
  const results = await route.search({ tenantId, person, queryText, skip: queryOptions.skip, top });
  logger.info({ tenantId, personId: person.id, dataset: route.dataset, results: results.length }, 'type-ahead search');
  return searchResponse(results.slice(0, top));
}
