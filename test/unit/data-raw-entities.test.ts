import { entityOf, linesOf, parseServiceJson } from '../../src/features/data/raw-entities';

describe('backup lines keep the Table types', () => {
  const body = JSON.stringify({ 'odata.metadata': 'x', value: [] }).replace(
    '[]',
    `[{"odata.etag":"W/\\"1\\"","PartitionKey":"t|2026","RowKey":"00001","i":5,"neg":-3,"d":4.0,"d2":-4.5,"e":1e+21,"big@odata.type":"Edm.Int64","big":"9007199254740993","when@odata.type":"Edm.DateTime","when":"2026-01-02T03:04:05.1234567Z","bin@odata.type":"Edm.Binary","bin":"AQL/","s":"4.0 \\"quoted 5.5\\" \\\\","b":true,"Timestamp@odata.type":"Edm.DateTime","Timestamp":"2026-12-02T14:04:54.5Z"}]`,
  );

  it('tells a Double 4.0 from an Int32 4, and leaves numbers inside strings alone', () => {
    const parsed = parseServiceJson('{"a":4,"b":4.0,"c":"4.0","d":[1.5e3]}') as Record<string, unknown>;
    expect(parsed.a).toBe(4);
    expect(parsed.b).toEqual({ '\u0000double': '4.0' });
    expect(parsed.c).toBe('4.0');
  });

  it('writes a line with the service’s annotations plus Edm.Double, without metadata and Timestamp', () => {
    const [line] = linesOf(body);
    expect(line).toEqual({
      PartitionKey: 't|2026',
      RowKey: '00001',
      i: 5,
      neg: -3,
      d: 4,
      'd@odata.type': 'Edm.Double',
      d2: -4.5,
      'd2@odata.type': 'Edm.Double',
      e: 1e21,
      'e@odata.type': 'Edm.Double',
      'big@odata.type': 'Edm.Int64',
      big: '9007199254740993',
      'when@odata.type': 'Edm.DateTime',
      when: '2026-01-02T03:04:05.1234567Z',
      'bin@odata.type': 'Edm.Binary',
      bin: 'AQL/',
      s: '4.0 "quoted 5.5" \\',
      b: true,
    });
  });

  it('turns a line back into what the SDK writes with the same types', () => {
    const [line] = linesOf(body);
    const entity = entityOf(JSON.parse(JSON.stringify(line)));
    expect(entity).toEqual({
      partitionKey: 't|2026',
      rowKey: '00001',
      i: 5,
      neg: -3,
      d: { value: '4', type: 'Double' },
      d2: { value: '-4.5', type: 'Double' },
      e: { value: '1e+21', type: 'Double' },
      big: { value: '9007199254740993', type: 'Int64' },
      when: { value: '2026-01-02T03:04:05.1234567Z', type: 'DateTime' },
      bin: { value: 'AQL/', type: 'Binary' },
      s: '4.0 "quoted 5.5" \\',
      b: true,
    });
  });
});
