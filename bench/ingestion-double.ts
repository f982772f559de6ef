import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeLoopbackCertificate } from '../test/helpers/entra-doubles';

export interface IngestionDouble {
  /** An Application Insights connection string whose ingestion and live-metrics endpoints are this double. */
  connectionString: string;
  /** Its self-signed certificate: the process sending telemetry trusts it through NODE_EXTRA_CA_CERTS. */
  certFile: string;
  /** Batches of telemetry posted to the track endpoint so far. */
  batches(): number;
  /** Live-metrics calls (pings, posts) so far. */
  liveCalls(): number;
  stop(): Promise<void>;
}

/**
 * Application Insights as the Azure Monitor distro reaches it, on loopback over HTTPS (the SDK
 * calls its endpoints over HTTPS whatever the connection string says): the ingestion endpoint
 * (`POST /v2.1/track`) accepts every batch, and the live-metrics service answers that nobody is
 * watching, so the distro pings it every few seconds as in production with no one on the Live
 * Metrics page. The memory benchmark points hibi's APPLICATIONINSIGHTS_CONNECTION_STRING here,
 * because production always has it set (infra/azure.bicep).
 */
export async function startIngestionDouble(): Promise<IngestionDouble> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hibi-ingestion-'));
  const { certFile, keyFile } = makeLoopbackCertificate(dir);
  let batches = 0;
  let liveCalls = 0;
  const server = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url?.includes('/v2.1/track')) {
        batches += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"itemsReceived":0,"itemsAccepted":0,"errors":[]}');
        return;
      }
      if (request.url?.includes('QuickPulseService.svc')) {
        liveCalls += 1;
        response.writeHead(200, { 'content-type': 'application/json', 'x-ms-qps-subscribed': 'false' }).end('{}');
        return;
      }
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${endpoint};LiveEndpoint=${endpoint}`,
    certFile,
    batches: () => batches,
    liveCalls: () => liveCalls,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
