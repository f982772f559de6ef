import { COLUMNS } from './org-csv.columns';
import { shorten, type OrgCsvError, type Row } from './org-csv.row';

/** Whole-file checks: what no single row can tell (the same id twice, a manager who is not in the file, a chain of managers that loops). */
export function checkDuplicates(rows: Row[], field: 'id' | 'email' | 'aadObjectId', key: (value: string) => string, errors: OrgCsvError[]): void {
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const value = row.cells.get(field) ?? '';
    if (value === '' || row.badFields.has(field)) continue;
    const first = firstLine.get(key(value));
    if (first === undefined) firstLine.set(key(value), row.line);
    else {
      row.badFields.add(field);
      errors.push({
        line: row.line,
        column: COLUMNS[field].label,
        message: `「${shorten(value)}」が重複しています（${first}行目と同じ）`,
      });
    }
  }
}

export function checkManagers(rows: Row[], errors: OrgCsvError[]): void {
  const lineById = new Map<string, number>();
  const allIds = new Set<string>();
  for (const row of rows) {
    const id = row.cells.get('id') ?? '';
    if (id === '') continue;
    allIds.add(id);
    if (!row.badFields.has('id')) lineById.set(id, row.line);
  }

  const managerOf = new Map<string, string>();
  for (const row of rows) {
    const id = row.cells.get('id') ?? '';
    const managerId = row.cells.get('managerId') ?? '';
    if (managerId === '' || row.badFields.has('managerId')) continue;
    if (managerId === id) {
      errors.push({ line: row.line, column: COLUMNS.managerId.label, message: `自分自身（${id}）を上司にできません` });
    } else if (!allIds.has(managerId)) {
      errors.push({
        line: row.line,
        column: COLUMNS.managerId.label,
        message: `「${shorten(managerId)}」はこのファイルの職員番号にありません`,
      });
    } else if (lineById.get(id) === row.line) {
      managerOf.set(id, managerId);
    }
  }

  // Each person has at most one manager, so following the chain from every id finds each cycle once.
  const done = new Set<string>();
  for (const start of lineById.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && !onPath.has(current)) {
      path.push(current);
      onPath.add(current);
      current = managerOf.get(current);
    }
    if (current !== undefined && onPath.has(current)) {
      const cycle = path.slice(path.indexOf(current));
      const line = Math.min(...cycle.map((id) => lineById.get(id) ?? Number.POSITIVE_INFINITY));
      errors.push({
        line,
        column: COLUMNS.managerId.label,
        message: `上司をたどると元に戻ってしまいます（${[...cycle, current].join(' → ')}）`,
      });
    }
    path.forEach((id) => done.add(id));
  }
}
