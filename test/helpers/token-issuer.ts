import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCredentials } from 'botframework-connector';

/** The issuer Bot Framework puts in the tokens it sends a bot (botbuilder checks it). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** An RSA key pair with a key id, the way Bot Framework publishes its signing keys. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * A JWT signed RS256 with node:crypto. (jose is ESM-only and jest runs these tests as CommonJS; a
 * JWT is three base64url parts, so the few lines here are all that is needed.)
 */
export function signToken(key: SigningKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = base64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key.privateKey);
  return `${head}.${body}.${base64url(signature)}`;
}

/** The claims Bot Framework puts in a token for a bot: issuer, audience = the bot's app id, the serviceUrl. */
export function channelClaims(appId: string, serviceUrl: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return { iss: BOT_FRAMEWORK_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: nowSeconds - 60, iat: nowSeconds - 60, exp: nowSeconds + 3600 };
}

/**
 * Stands in for Bot Framework's OpenID metadata endpoint on loopback: an OpenID document whose jwks_uri
 * lists the published keys, endorsed for Teams as the real ones are. hibi reads it through
 * BOT_OPENID_METADATA_URL.
 */
export class TokenIssuer {
  private server: Server | undefined;
  metadataUrl = '';

  constructor(private readonly published: readonly SigningKey[]) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const base = this.metadataUrl.replace(/\/openid$/, '');
      const body =
        req.url === '/openid'
          ? { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }
          : req.url === '/keys'
            ? { keys: this.published.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, use: 'sig', endorsements: ['msteams'] })) }
            : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.metadataUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/openid`;
    return this.metadataUrl;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * The bot's own outbound token (what Entra ID would issue for its app id and password), put where
 * botbuilder caches it, so replies go to the connector double without a call to login.microsoftonline.com.
 */
export function seedOutboundToken(appId: string): void {
  const { cache } = AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> };
  cache.set(`${appId}${BOT_FRAMEWORK_ISSUER}-cache`, { accessToken: 'outbound-token-for-tests', expiresOn: new Date(Date.now() + 3_600_000) });
}
