import { randomInt } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey, keyPart } from '../../storage/table-keys';
import { createIfAbsent, deleteIfPresent, findEntity, isChangedSinceRead, isConflict, keyStartsWith, rowPrefixFilter } from '../../storage/table-ops';
import { keyParts } from '../data/data.public';
import { questionsSchema } from './survey.questions';
import type { Answer, Survey } from './survey.schema';
import { addAnswer, emptyTally, type Tally } from './survey.tally';

export const SURVEY_TABLE = 'surveys';

/**
 * surveys, one partition per survey (PK = tenant|surveyId):
 * - `survey`: the definition (frozen questions, open and close days, state);
 * - `answered|<personId>`: that the person answered, and nothing else (the only row naming anyone);
 * - `tally|<group>`: per group (town, unit|<課>, role|<group>) how many answered and how many gave
 *   each score to each item: what results are computed from;
 * - `text|<nn>`: free-text shards, a JSON list each, no group, no order.
 * PK = tenant, RK = `open`: the survey now open, so two HR officers cannot open two at once.
 * An answer is the marker, its three tallies and every shard, written in one transaction.
 */
export const surveyRows = {
  definition: 'survey',
  marker: (personId: string) => `answered|${keyPart(personId)}`,
  tally: (group: string) => `tally|${group.split('|').map(keyPart).join('|')}`,
  shard: (n: number) => `text|${String(n).padStart(2, '0')}`,
  open: 'open',
};

/** Shards made at opening: the first texts land among several rows, never alone in one. */
const SHARDS_AT_OPEN = 4;
/** A shard is one string column (64 KB); 20,000 characters of JSON leaves room for escapes. */
const SHARD_CHARS = 20_000;
/** Every shard is rewritten with each answer, in a transaction of at most 100 rows and 4 MB (3 bytes a character). */
const MAX_SHARDS = 40;
const ATTEMPTS = 30;
/** How old an `open` row without its survey must be before another opening takes it over. */
const ORPHAN_AFTER_MS = 60_000;

type DefinitionEntity = { partitionKey: string; rowKey: string; surveyId: string; questions: string; openedOn: string; closeOn: string; state: string };
type ShardEntity = { partitionKey: string; rowKey: string; texts: string };
type Row = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };

export type RecordOutcome = 'stored' | 'already' | 'textsFull';

const partitionOf = (tenantId: string, surveyId: string): string => compositeKey(tenantId, surveyId);

function toSurvey(tenantId: string, e: DefinitionEntity): Survey {
  return {
    tenantId,
    surveyId: e.surveyId,
    questions: questionsSchema.parse(JSON.parse(e.questions)),
    openedOn: e.openedOn,
    closeOn: e.closeOn,
    state: e.state === 'closed' ? 'closed' : 'open',
  };
}

function tallyOf(row: Row | undefined): Tally {
  if (!row) return emptyTally();
  const counts: Record<string, number> = {};
  for (const [column, value] of Object.entries(row)) if (/^[sa]_/.test(column) && typeof value === 'number') counts[column] = value;
  return { answers: typeof row.answers === 'number' ? row.answers : 0, counts };
}

const textsOf = (row: Row): string[] => JSON.parse(String(row.texts ?? '[]')) as string[];

export class SurveyRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(SURVEY_TABLE);
  }

  /**
   * Opens a survey unless one is open: false when another is (the `open` row is created only once).
   * An `open` row whose survey was never written (its opening cut short) is taken over once it is a
   * minute old (by the service's own Timestamp, so real time, whatever the app's clock says), so a
   * crash at the wrong moment cannot block surveys for good.
   */
  async open(survey: Survey): Promise<boolean> {
    const pk = partitionOf(survey.tenantId, survey.surveyId);
    const pointer = { partitionKey: compositeKey(survey.tenantId), rowKey: surveyRows.open, surveyId: survey.surveyId };
    if (!(await createIfAbsent(this.table, pointer))) {
      const held = await findEntity<{ surveyId: string }>(this.table, pointer.partitionKey, pointer.rowKey);
      const stale =
        held && !(await this.get(survey.tenantId, held.surveyId)) && Date.now() - new Date(held.timestamp ?? Date.now()).getTime() > ORPHAN_AFTER_MS;
      if (!stale || !(await deleteIfPresent(this.table, pointer.partitionKey, pointer.rowKey, held.etag))) return false;
      if (!(await createIfAbsent(this.table, pointer))) return false;
    }
    const definition: DefinitionEntity = {
      partitionKey: pk,
      rowKey: surveyRows.definition,
      surveyId: survey.surveyId,
      questions: JSON.stringify(survey.questions),
      openedOn: survey.openedOn,
      closeOn: survey.closeOn,
      state: 'open',
    };
    const shards = Array.from({ length: SHARDS_AT_OPEN }, (_, n): TransactionAction => [
      'create',
      { partitionKey: pk, rowKey: surveyRows.shard(n), texts: '[]' } satisfies ShardEntity,
    ]);
    await this.table.submitTransaction([['create', definition], ...shards]);
    return true;
  }

  async current(tenantId: string): Promise<Survey | undefined> {
    const pointer = await findEntity<{ surveyId: string }>(this.table, compositeKey(tenantId), surveyRows.open);
    return pointer ? this.get(tenantId, pointer.surveyId) : undefined;
  }

  async get(tenantId: string, surveyId: string): Promise<Survey | undefined> {
    const found = await findEntity<DefinitionEntity>(this.table, partitionOf(tenantId, surveyId), surveyRows.definition);
    return found ? toSurvey(tenantId, found) : undefined;
  }

  /** Every survey of the tenant, oldest close day first. */
  async list(tenantId: string): Promise<Survey[]> {
    const filter = `${keyStartsWith('PartitionKey', `${compositeKey(tenantId)}|`)} and ${odata`RowKey eq ${surveyRows.definition}`}`;
    const out: Survey[] = [];
    for await (const e of this.table.listEntities<DefinitionEntity>({ queryOptions: { filter } })) out.push(toSurvey(tenantId, e));
    return out.sort((a, b) => a.closeOn.localeCompare(b.closeOn) || a.surveyId.localeCompare(b.surveyId));
  }

  /** Marks it closed and frees the `open` slot; false when someone else closed it first. */
  async close(survey: Survey): Promise<boolean> {
    const pk = partitionOf(survey.tenantId, survey.surveyId);
    const found = await findEntity<DefinitionEntity>(this.table, pk, surveyRows.definition);
    if (!found || found.state === 'closed') return false;
    try {
      await this.table.updateEntity({ partitionKey: pk, rowKey: surveyRows.definition, state: 'closed' }, 'Merge', { etag: found.etag });
    } catch (error) {
      if (isChangedSinceRead(error)) return false;
      throw error;
    }
    const pointer = await findEntity<{ surveyId: string }>(this.table, compositeKey(survey.tenantId), surveyRows.open);
    if (pointer?.surveyId === survey.surveyId) await deleteIfPresent(this.table, compositeKey(survey.tenantId), surveyRows.open, pointer.etag);
    return true;
  }

  async hasAnswered(tenantId: string, surveyId: string, personId: string): Promise<boolean> {
    return (await findEntity(this.table, partitionOf(tenantId, surveyId), surveyRows.marker(personId))) !== undefined;
  }

  /** Who has answered (for the reminder and HR's count): the marker rows' keys only. */
  async answeredIds(tenantId: string, surveyId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    const filter = rowPrefixFilter(partitionOf(tenantId, surveyId), 'answered|');
    for await (const e of this.table.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) ids.add(keyParts(e.rowKey ?? '')[1] ?? '');
    return ids;
  }

  /** Each group's tally by its group key (town, unit|<課>, role|<group>). */
  async tallies(tenantId: string, surveyId: string): Promise<Map<string, Tally>> {
    const out = new Map<string, Tally>();
    const filter = rowPrefixFilter(partitionOf(tenantId, surveyId), 'tally|');
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.set(
        keyParts(e.rowKey ?? '')
          .slice(1)
          .join('|'),
        tallyOf(e as Row),
      );
    }
    return out;
  }

  /** The free texts, shard after shard: already in no particular order. */
  async texts(tenantId: string, surveyId: string): Promise<string[]> {
    return (await this.shards(partitionOf(tenantId, surveyId))).flatMap(textsOf);
  }

  /**
   * Counts one answer, once: the person's marker is created (409 if they already answered), each of
   * their groups' tallies is replaced under its etag, and every free-text shard is rewritten under
   * its etag (one of them with the text at a random place), all in one transaction. A conflict
   * means someone answered at the same moment: read again and retry. Touching every shard means
   * the shards' times say nothing about who wrote in which.
   */
  async record(tenantId: string, surveyId: string, personId: string, groups: readonly string[], answer: Answer): Promise<RecordOutcome> {
    const pk = partitionOf(tenantId, surveyId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await this.hasAnswered(tenantId, surveyId, personId)) return 'already';
      const [tallyRows, shards] = await Promise.all([
        Promise.all(groups.map((g) => findEntity<Record<string, unknown>>(this.table, pk, surveyRows.tally(g)))),
        this.shards(pk),
      ]);
      const written = withText(shards, answer.text);
      if (!written) return 'textsFull';
      const actions: TransactionAction[] = [['create', { partitionKey: pk, rowKey: surveyRows.marker(personId) }]];
      groups.forEach((group, i) => {
        const row = tallyRows[i] as Row | undefined;
        const next = addAnswer(tallyOf(row), answer);
        const entity = { partitionKey: pk, rowKey: surveyRows.tally(group), answers: next.answers, ...next.counts };
        actions.push(row ? ['update', entity, 'Replace', { etag: row.etag }] : ['create', entity]);
      });
      for (const shard of written) {
        const entity: ShardEntity = { partitionKey: pk, rowKey: shard.rowKey, texts: JSON.stringify(shard.texts) };
        actions.push(shard.etag ? ['update', entity, 'Replace', { etag: shard.etag }] : ['create', entity]);
      }
      try {
        await this.table.submitTransaction(actions);
        return 'stored';
      } catch (error) {
        if (!isConflict(error) && !isChangedSinceRead(error)) throw error;
      }
    }
    throw new Error('survey answer: too many answers at the same moment, try again');
  }

  private async shards(pk: string): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: rowPrefixFilter(pk, 'text|') } })) rows.push(e as Row);
    return rows.sort((a, b) => a.rowKey.localeCompare(b.rowKey));
  }
}

interface ShardWrite {
  rowKey: string;
  etag?: string;
  texts: string[];
}

/** Every shard as it will be written: the text, if any, at a random place in a random shard with room (a new shard when none has). */
function withText(shards: readonly Row[], text: string | undefined): ShardWrite[] | undefined {
  const writes: ShardWrite[] = shards.map((row) => ({ rowKey: row.rowKey, etag: row.etag, texts: textsOf(row) }));
  if (!text) return writes;
  const fits = (w: ShardWrite): boolean => JSON.stringify([...w.texts, text]).length <= SHARD_CHARS;
  const roomy = writes.filter(fits);
  if (roomy.length === 0) {
    if (writes.length >= MAX_SHARDS) return undefined;
    roomy.push({ rowKey: surveyRows.shard(writes.length), texts: [] });
    writes.push(roomy[0] as ShardWrite);
  }
  const target = roomy[randomInt(roomy.length)] as ShardWrite;
  target.texts.splice(randomInt(target.texts.length + 1), 0, text);
  return writes;
}
