import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { StorageTarget } from './storage-target';

/**
 * One place that knows how to reach a table, so repositories only name theirs. It hands out one
 * client per table and one service client, shared by every repository: each client holds its own
 * HTTP pipeline (about 16 KB), and once Azure Monitor turns the Azure SDK's logging on, every client
 * made logs the SDK's `baseUri` deprecation warning (the health probe's ping made one a minute).
 */
export class TableClientFactory {
  private readonly target: StorageTarget;
  private readonly insecure: boolean;
  private readonly tables = new Map<string, TableClient>();
  private serviceClient: TableServiceClient | undefined;

  /** A connection string or a storage target; a plain string is a connection string. */
  constructor(target: StorageTarget | string) {
    this.target = typeof target === 'string' ? { connectionString: target } : target;
    this.insecure =
      'connectionString' in this.target
        ? /DefaultEndpointsProtocol=http;|TableEndpoint=http:\/\//i.test(this.target.connectionString)
        : this.target.url.startsWith('http:');
  }

  table(name: string): TableClient {
    const known = this.tables.get(name);
    if (known) return known;
    const options = { allowInsecureConnection: this.insecure, retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2000 } };
    const client =
      'connectionString' in this.target
        ? TableClient.fromConnectionString(this.target.connectionString, name, options)
        : new TableClient(this.target.url, name, this.target.credential, options);
    this.tables.set(name, client);
    return client;
  }

  service(): TableServiceClient {
    if (this.serviceClient) return this.serviceClient;
    const options: TableServiceClientOptions = { allowInsecureConnection: this.insecure, retryOptions: { maxRetries: 0 } };
    this.serviceClient =
      'connectionString' in this.target
        ? TableServiceClient.fromConnectionString(this.target.connectionString, options)
        : new TableServiceClient(this.target.url, this.target.credential, options);
    return this.serviceClient;
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
