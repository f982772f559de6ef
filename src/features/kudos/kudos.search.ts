import type { SearchRoute } from '../../routing/handler-context';
import type { OrgRepository } from '../../directory/org.repository';
import type { Person } from '../../directory/org.schema';
import { KUDOS_PEOPLE_DATASET, recipientCandidates, recipientChoice } from './kudos.cards';

const KATAKANA = /[\u30a1-\u30f6]/g;
/** The distance from a katakana letter to the same sound in hiragana. */
const KANA_SHIFT = 0x60;

/**
 * What is typed and what the directory holds, folded alike: NFKC (half-width kana, full-width
 * letters), lower case, no spaces ("田中 花子" is found by 田中花子), katakana read as hiragana.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - KANA_SHIFT));
}

/** The people `sender` could thank whose name, reading or unit contains the query, in the static list's order. */
export function matchRecipients(sender: Person, directory: readonly Person[], queryText: string): Person[] {
  const query = foldForSearch(queryText);
  return recipientCandidates(sender, directory).filter((p) =>
    [p.name, p.kana, p.unit].some((field) => field !== undefined && foldForSearch(field).includes(query)),
  );
}

/** The kudos form's recipient type-ahead in Teams: the directory searched as the person types. */
export function kudosSearchRoute(deps: { org: OrgRepository }): SearchRoute {
  return {
    dataset: KUDOS_PEOPLE_DATASET,
    search: async ({ tenantId, person, queryText, skip, top }) =>
      matchRecipients(person, await deps.org.listPeople(tenantId), queryText)
        .slice(skip, skip + top)
        .map(recipientChoice),
  };
}
