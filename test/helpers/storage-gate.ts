import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StorageRequest {
  method: string;
  /** Path and query, e.g. /devstoreaccount1/checkins(PartitionKey='…',RowKey='…'). */
  path: string;
}

/**
 * A loopback proxy between hibi and Azurite, so a test can stop storage at an exact point of a turn:
 * hold the first request that matches, do something (stop Azurite), then let it go on. A request
 * Azurite no longer answers is cut off as a dead storage account would be (connection reset).
 */
export class StorageGate {
  private server: Server | undefined;
  private waiting: { matches: (r: StorageRequest) => boolean; arrived: () => void; released: Promise<void> } | undefined;
  private open: (() => void) | undefined;
  port = 0;

  constructor(private readonly azuritePort: number) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.forward(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Azurite's connection string with the table endpoint moved to this proxy. */
  connectionString(azuriteConnectionString: string): string {
    return azuriteConnectionString.replace(`:${this.azuritePort}/`, `:${this.port}/`);
  }

  /** Resolves once a matching request has arrived and is held; it waits until release(). */
  holdNext(matches: (r: StorageRequest) => boolean): Promise<void> {
    let arrived = (): void => undefined;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (this.open = resolve));
    this.waiting = { matches, arrived, released };
    return held;
  }

  release(): void {
    this.open?.();
    this.open = undefined;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const waiting = this.waiting;
    if (waiting?.matches({ method: req.method ?? 'GET', path: req.url ?? '/' })) {
      this.waiting = undefined;
      waiting.arrived();
      await waiting.released;
    }
    const upstream = request({ host: '127.0.0.1', port: this.azuritePort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once('error', () => req.socket.destroy());
    upstream.end(Buffer.concat(chunks));
  }
}
