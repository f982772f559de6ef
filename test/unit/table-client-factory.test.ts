import { azuriteConnectionString } from '../../src/storage/azurite';
import { TableClientFactory } from '../../src/storage/table-client-factory';

describe('TableClientFactory', () => {
  it('hands every repository of a table the same client, and one service client for the health probe', () => {
    const tables = new TableClientFactory(azuriteConnectionString(10002));
    const checkins = tables.table('checkins');
    expect(tables.table('checkins')).toBe(checkins);
    expect(tables.table('kudos')).not.toBe(checkins);
    expect(tables.table('kudos').tableName).toBe('kudos');
    expect(tables.service()).toBe(tables.service());
  });

  it('keeps each factory’s clients its own: another storage target gets its own', () => {
    const main = new TableClientFactory(azuriteConnectionString(10002));
    const hr = new TableClientFactory(azuriteConnectionString(10012));
    expect(hr.table('kpiperiods')).not.toBe(main.table('kpiperiods'));
    expect(hr.table('kpiperiods').url).toContain(':10012/');
  });
});
