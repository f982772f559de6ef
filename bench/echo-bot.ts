import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
} from 'botbuilder';
import restify from 'restify';

/**
 * The baseline of the turn benchmark: botbuilder's own echo sample, as bare as it comes. A CloudAdapter
 * without credentials (development mode, no token check, like hibi without MicrosoftAppId) on restify
 * with its body parser, and one reply per message. Run as its own process; prints the port it bound.
 */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
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
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'echo bot listening', port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
