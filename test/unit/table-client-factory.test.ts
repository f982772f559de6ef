import { TableClientFactory } from '../../src/storage/table-client-factory';

const AZURITE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

describe('TableClientFactory', () => {
  it('hands every repository of a table the same client, and one service client for the health probe', () => {
    const tables = new TableClientFactory(AZURITE);
    const checkins = tables.table('checkins');
    expect(tables.table('checkins')).toBe(checkins);
    expect(tables.table('kudos')).not.toBe(checkins);
    expect(tables.table('kudos').tableName).toBe('kudos');
    expect(tables.service()).toBe(tables.service());
  });

  it('keeps each factory’s clients its own: another storage target gets its own', () => {
    const main = new TableClientFactory(AZURITE);
    const hr = new TableClientFactory(AZURITE.replace('10002', '10012'));
    expect(hr.table('kpiperiods')).not.toBe(main.table('kpiperiods'));
    expect(hr.table('kpiperiods').url).toContain(':10012/');
  });
});
