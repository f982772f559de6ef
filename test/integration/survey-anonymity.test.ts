import { fixedClock } from '../../src/shared/clock';
import { SURVEY_TABLE } from '../../src/features/survey/survey.repository';
import { conversationOf } from '../helpers/people';
import { fullAnswer, loadSurveyOrg, surveyIdIn, textOf, type SurveyOrg } from '../helpers/survey-org';
import { logCapture, tenantRows, type StoredEntity } from '../helpers/storage-snapshot';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Columns a row has beyond what Azure itself adds (etag, Timestamp, metadata). */
const columnsOf = (e: StoredEntity): string[] => Object.keys(e).filter((k) => !['etag', 'timestamp', 'odata.metadata', 'partitionKey', 'rowKey'].includes(k));

describe('a survey answer cannot be tied to the person who gave it, from anything stored or logged', () => {
  let t: TestApp;
  let org: SurveyOrg;
  const { sink, lines: logLines } = logCapture();

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-12-01T10:00:00+09:00')) }, sink);
    org = await loadSurveyOrg(t);
  });
  afterAll(() => t.stop());

  it('answers change only the survey table; the person is named by their marker alone, which holds nothing; answers live only in tallies and shards', async () => {
    let from = org.mark();
    await org.say('HR1', 'アンケート 開始 12/4');
    await t.app.deliverPending();
    const surveyId = surveyIdIn(org.chat('JT', from).find((c) => textOf(c).includes('survey.submit')));
    const before = await tenantRows(t.app.tables, t.tenantId);
    const firstLine = logLines.length;

    // Four answer with a text each; the last answers without one.
    const answerers: [string, number, 'yes' | 'no', string][] = [
      ['JT', 1, 'no', '上司に相談しにくい雰囲気がある'],
      ['KC', 4, 'yes', '研修の機会をもっと増やしてほしい'],
      ['GM', 2, 'no', '会議の時間を短くしてほしい'],
      ['JL', 3, 'yes', 'ワークフローの電子化を進めてほしい'],
      ['NS', 4, 'no', ''],
    ];
    from = org.mark();
    for (const [id, score, agree, text] of answerers) await org.submit(id, fullAnswer(surveyId, score, agree, text), `card-${id}`);
    for (const [id] of answerers) expect(org.chat(id, from).map(textOf).join('')).toContain('回答ありがとうございました');
    const after = await tenantRows(t.app.tables, t.tenantId);
    const changed = [...after.entries()].filter(([key, row]) => before.get(key)?.entity.etag !== row.entity.etag);

    // Nothing outside the survey table moved: no conversation row refreshed, nothing queued in the outbox.
    expect(changed.length).toBeGreaterThan(answerers.length);
    expect(changed.filter(([, row]) => row.table !== SURVEY_TABLE).map(([key]) => key)).toEqual([]);

    const surveyRows = [...after.values()].filter((row) => row.table === SURVEY_TABLE);
    const texts = answerers.map(([, , , text]) => text).filter(Boolean);
    for (const [id] of answerers) {
      const person = org.by(id);
      const needles = [person.id, person.name, person.aadObjectId as string, `29:${person.id}`, conversationOf(person)];
      // In the survey table, only the person's own marker names them (the ids are short: match whole key parts and values).
      const naming = surveyRows.filter((row) =>
        needles.some(
          (n) =>
            row.entity.rowKey.split('|').includes(n) ||
            Object.values(row.entity).some((v) => v === n || (typeof v === 'string' && n.length > 3 && v.includes(n))),
        ),
      );
      expect(naming.map((row) => row.entity.rowKey)).toEqual([`answered|${id}`]);
      for (const line of logLines.slice(firstLine)) for (const needle of needles) expect(line).not.toContain(needle);
    }
    // The logs say a card was submitted, and nothing of what it held.
    const lines = logLines.slice(firstLine);
    expect(lines.some((line) => line.includes('"kind":"submit"'))).toBe(true);
    for (const line of lines) {
      expect(line).not.toMatch(/s_vision|a_overwork|survey\.submit/);
      for (const text of texts) expect(line).not.toContain(text);
    }

    const markers = surveyRows.filter((row) => row.entity.rowKey.startsWith('answered|'));
    const tallies = surveyRows.filter((row) => row.entity.rowKey.startsWith('tally|'));
    const shards = surveyRows.filter((row) => row.entity.rowKey.startsWith('text|'));
    expect(markers).toHaveLength(answerers.length);
    // A marker holds no column at all: not a time, not a group, not a score.
    for (const marker of markers) expect(columnsOf(marker.entity)).toEqual([]);
    // Scores are only in tallies: no other row has a score or agreement column.
    for (const row of surveyRows.filter((r) => !r.entity.rowKey.startsWith('tally|')))
      expect(columnsOf(row.entity).filter((c) => /^[sa]_/.test(c))).toEqual([]);
    expect(tallies.find((row) => row.entity.rowKey === 'tally|town')?.entity.answers).toBe(answerers.length);
    // Free text only in shards, which say nothing but the texts; every shard was rewritten by every answer, so
    // their times all equal the last answer's, although it had no text.
    for (const row of surveyRows.filter((r) => !r.entity.rowKey.startsWith('text|'))) for (const text of texts) expect(row.json).not.toContain(text);
    expect(shards.flatMap((row) => JSON.parse(String(row.entity.texts)) as string[]).sort()).toEqual([...texts].sort());
    for (const shard of shards) expect(columnsOf(shard.entity)).toEqual(['texts']);
    // (The service stamps the rows of one transaction alike; Azurite apart by some 100 ns, hence the millisecond.)
    const ms = (row: { entity: StoredEntity } | undefined): string => String(row?.entity.timestamp).slice(0, 23);
    const lastMarker = markers.find((row) => row.entity.rowKey === 'answered|NS');
    expect(new Set(shards.map(ms))).toEqual(new Set([ms(lastMarker)]));
    for (const marker of markers.filter((row) => row !== lastMarker)) expect(ms(marker) < ms(lastMarker)).toBe(true);
  });
});
