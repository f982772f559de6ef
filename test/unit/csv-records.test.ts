import { readCsvRecords, recordStartLine } from '../../src/shared/csv-records';

describe('readCsvRecords', () => {
  it('reads a file as Excel saves it: BOM, CRLF, trimmed cells, blank lines and blank rows skipped', () => {
    const read = readCsvRecords('\uFEFF氏名 , 課\r\n\r\n山田, 住民課\r\n,\r\n佐藤,税務課\r\n');
    expect(read.ok && read.records.map((r) => [r.record, r.info.lines])).toEqual([
      [['氏名', '課'], 1],
      [['山田', '住民課'], 3],
      [['佐藤', '税務課'], 5],
    ]);
  });

  it('keeps rows longer or shorter than the header for the reader to judge', () => {
    const read = readCsvRecords('a,b\n1\n1,2,3\n');
    expect(read.ok && read.records.map((r) => r.record)).toEqual([['a', 'b'], ['1'], ['1', '2', '3']]);
  });

  it('names the line of the first character that was not UTF-8', () => {
    expect(readCsvRecords('a,b\r\n1,2\r\n3,\uFFFD\r\n')).toEqual({ ok: false, problem: 'garbled', line: 3 });
  });

  it('turns broken quoting into csv-parse’s reason and line instead of throwing', () => {
    expect(readCsvRecords('a,b\n1,"2\n')).toEqual({ ok: false, problem: 'unreadable', line: 2, code: 'CSV_QUOTE_NOT_CLOSED' });
  });
});

describe('recordStartLine', () => {
  it('is where a record starts, not where a quoted line break ends it', () => {
    const read = readCsvRecords('a,b\n"山田\n一",住民課\nc,d\n');
    expect(read.ok && read.records.map((r) => [r.info.lines, recordStartLine(r)])).toEqual([
      [1, 1],
      [3, 2],
      [4, 4],
    ]);
  });
});
