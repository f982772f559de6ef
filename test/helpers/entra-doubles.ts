import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';

/** A self-signed certificate for 127.0.0.1, made at test time, for a loopback HTTPS server. */
export function makeLoopbackCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, 'loopback-cert.pem');
  const keyFile = path.join(dir, 'loopback-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

const STORAGE_AUDIENCE = 'https://storage.azure.com';

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An Entra ID access token for Azure Storage in the shape Entra issues (v1 issuer, storage audience),
 * signed with a throwaway key: Azurite's basic OAuth checks audience, issuer and lifetime only.
 */
export function storageAccessToken(options: { tenantId: string; clientId: string; lifetimeSeconds?: number; audience?: string }): {
  token: string;
  expiresOn: number;
} {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + (options.lifetimeSeconds ?? 3600);
  const header = base64url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64url({
    aud: options.audience ?? STORAGE_AUDIENCE,
    iss: `https://sts.windows.net/${options.tenantId}/`,
    iat: now - 60,
    nbf: now - 60,
    exp,
    appid: options.clientId,
    oid: options.clientId,
    tid: options.tenantId,
    ver: '1.0',
  });
  const signature = createHmac('sha256', randomBytes(32)).update(`${header}.${payload}`).digest('base64url');
  return { token: `${header}.${payload}.${signature}`, expiresOn: exp };
}

/** A TokenCredential that issues storage tokens itself, for checks made from inside the test. */
export function testStorageCredential(options: { tenantId: string; clientId: string; lifetimeSeconds?: number; audience?: string }): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => {
      const { token, expiresOn } = storageAccessToken(options);
      return { token, expiresOnTimestamp: expiresOn * 1000 };
    },
  };
}

export interface IdentityRequest {
  resource: string | null;
  clientId: string | null;
  apiVersion: string | null;
  headerOk: boolean;
}

/**
 * App Service's managed identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, API 2019-08-01) on
 * loopback: what @azure/identity's ManagedIdentityCredential calls on a web app with an identity.
 * The token's audience is the resource asked for (storage's when it is storage).
 */
export class AppServiceIdentityEndpoint {
  readonly header = randomBytes(16).toString('hex');
  readonly requests: IdentityRequest[] = [];
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly identity: { tenantId: string; clientId: string }) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/msi/token`;
  }

  /** The variables App Service sets in a web app that has a managed identity. */
  get environment(): Record<string, string> {
    return { IDENTITY_ENDPOINT: this.endpoint, IDENTITY_HEADER: this.header };
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: IdentityRequest = {
        resource: url.searchParams.get('resource'),
        clientId: url.searchParams.get('client_id'),
        apiVersion: url.searchParams.get('api-version'),
        headerOk: req.headers['x-identity-header'] === this.header,
      };
      this.requests.push(request);
      res.setHeader('content-type', 'application/json');
      if (url.pathname !== '/msi/token' || !request.headerOk) {
        res.statusCode = 400;
        res.end(JSON.stringify({ statusCode: 400, message: 'Unable to load the proper Managed Identity.' }));
        return;
      }
      if (request.clientId !== this.identity.clientId) {
        res.statusCode = 400;
        res.end(
          JSON.stringify({ statusCode: 400, message: 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.' }),
        );
        return;
      }
      // A token for the resource asked for (Graph's double, say); storage's audience as before when it is storage or unnamed.
      const audience = request.resource && request.resource !== STORAGE_AUDIENCE ? request.resource : undefined;
      const { token, expiresOn } = storageAccessToken({ ...this.identity, audience });
      res.end(
        JSON.stringify({
          access_token: token,
          expires_on: String(expiresOn),
          resource: request.resource,
          token_type: 'Bearer',
          client_id: this.identity.clientId,
        }),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
