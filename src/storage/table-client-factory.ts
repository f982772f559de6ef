import { TableClient, TableServiceClient } from '@azure/data-tables';

/** One place that knows how to reach a table, so repositories only name theirs. */
export class TableClientFactory {
  private readonly insecure: boolean;

  constructor(private readonly connectionString: string) {
    this.insecure = /DefaultEndpointsProtocol=http;|TableEndpoint=http:\/\//i.test(connectionString);
  }

  table(name: string): TableClient {
    return TableClient.fromConnectionString(this.connectionString, name, {
      allowInsecureConnection: this.insecure,
      retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
    });
  }

  service(): TableServiceClient {
    return TableServiceClient.fromConnectionString(this.connectionString, {
      allowInsecureConnection: this.insecure,
      retryOptions: { maxRetries: 0 },
    });
  }

  /** Creates every table hibi uses; safe to call on each start. */
  async ensureTables(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => this.table(name).createTable()));
  }

  /** A cheap round trip for /healthz. */
  async ping(): Promise<boolean> {
    try {
      const pages = this.service().listTables().byPage({ maxPageSize: 1 });
      await pages.next();
      return true;
    } catch {
      return false;
    }
  }
}
