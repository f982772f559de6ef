import { ActivityHandler, CloudAdapter, ConfigurationServiceClientCredentialFactory, createBotFrameworkAuthenticationFromConfiguration } from 'botbuilder';
import { TableClient } from '@azure/data-tables';
import restify from 'restify';

/**
 * The baseline of the turn benchmark: botbuilder's own echo sample, as bare as it comes. A CloudAdapter
 * without credentials (development mode, no token check, like hibi without MicrosoftAppId) on restify
 * with its body parser, and one reply per message. Run as its own process; prints the port it bound.
 *
 * With STORE_CONNECTION_STRING it first upserts the submitted value as one table row: the least any
 * bot that keeps a check-in must do, so hibi can also be measured against that floor.
 */
const storeConnection = process.env.STORE_CONNECTION_STRING;
const store = storeConnection ? TableClient.fromConnectionString(storeConnection, 'echostore', { allowInsecureConnection: true }) : undefined;

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      if (store) {
        const { from, value } = context.activity;
        await store.upsertEntity({ partitionKey: from.id, rowKey: 'today', value: JSON.stringify(value ?? null) }, 'Replace');
      }
      await context.sendActivity(`echo: ${context.activity.text ?? JSON.stringify(context.activity.value ?? null).slice(0, 40)}`);
      await next();
    });
  }
}

const adapter = new CloudAdapter(createBotFrameworkAuthenticationFromConfiguration(null, new ConfigurationServiceClientCredentialFactory({})));
const bot = new EchoBot();
const server = restify.createServer({ name: 'echo' });
server.use(restify.plugins.bodyParser({ mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
void (async () => {
  await store?.createTable();
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ msg: 'echo bot listening', port: server.address().port })}\n`);
  });
})();
process.on('SIGTERM', () => server.close(() => process.exit(0)));
