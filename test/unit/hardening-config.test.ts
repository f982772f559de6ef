import { ConfigError, loadConfig } from '../../src/config';

describe('hardening settings', () => {
  it('defaults to a 256 KB body cap and 30 messages a minute, with Bot Framework’s own signing keys', () => {
    const { env } = loadConfig({});
    expect(env.MAX_BODY_BYTES).toBe(256 * 1024);
    expect(env.TURN_RATE_LIMIT_PER_MINUTE).toBe(30);
    expect(env.BOT_OPENID_METADATA_URL).toBeUndefined();
  });

  it('reads the limits from the environment and refuses nonsense with the variable named', () => {
    expect(loadConfig({ MAX_BODY_BYTES: '65536', TURN_RATE_LIMIT_PER_MINUTE: '10' }).env).toMatchObject({
      MAX_BODY_BYTES: 65536,
      TURN_RATE_LIMIT_PER_MINUTE: 10,
    });
    expect(() => loadConfig({ MAX_BODY_BYTES: '10' })).toThrow(/MAX_BODY_BYTES/);
    expect(() => loadConfig({ TURN_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(ConfigError);
  });

  it('takes an OpenID metadata URL over https, or over http on loopback only', () => {
    expect(
      loadConfig({ BOT_OPENID_METADATA_URL: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration' }).env.BOT_OPENID_METADATA_URL,
    ).toContain('azure.us');
    expect(loadConfig({ BOT_OPENID_METADATA_URL: 'http://127.0.0.1:4321/openid' }).env.BOT_OPENID_METADATA_URL).toBe('http://127.0.0.1:4321/openid');
    expect(() => loadConfig({ BOT_OPENID_METADATA_URL: 'http://keys.example.com/openid' })).toThrow(/BOT_OPENID_METADATA_URL/);
    expect(() => loadConfig({ BOT_OPENID_METADATA_URL: 'not a url' })).toThrow(/BOT_OPENID_METADATA_URL/);
  });
});
