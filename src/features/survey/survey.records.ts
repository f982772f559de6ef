import { odata } from '@azure/data-tables';
import { type PersonTable, queried, keyParts } from '../data/data.public';
import { tenantRange } from '../../storage/table-ops';
import { SURVEY_TABLE, surveyRows } from './survey.repository';

/**
 * A person's part of the survey table is their "answered" markers: that they answered a survey,
 * never what (no other row names anyone). Leaving deletes them; the tallies are the town's and stay.
 */
export const surveyTables: PersonTable[] = [
  {
    table: SURVEY_TABLE,
    label: 'アンケートの回答済み記録（回答内容は個人と結びつけて保存していません）',
    find: ({ tables, tenantId, personId }) =>
      queried(tables.table(SURVEY_TABLE), `${tenantRange(tenantId)} and ${odata`RowKey eq ${surveyRows.marker(personId)}`}`, 'answered'),
    exported: ({ entity }) => ({ survey: keyParts(entity.partitionKey).at(-1), answered: true }),
    change: () => ({ kind: 'delete' }),
  },
];
