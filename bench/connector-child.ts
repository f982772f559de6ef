import { connectorOptionsSchema, parentMessageSchema, type ChildMessage } from './connector-process';
import { LimitedConnector } from './limited-connector';

/** Entry of the connector process (see connector-process.ts); talks to the benchmark over IPC only. */
async function main(): Promise<void> {
  const reply = (message: ChildMessage): void => {
    process.send?.(message);
  };
  const connector = new LimitedConnector(connectorOptionsSchema.parse(JSON.parse(process.argv[2] ?? '{}')));
  connector.onSignal = () => reply({ type: 'signal' });
  const serviceUrl = await connector.start();
  process.on('message', (raw: unknown) => {
    const message = parentMessageSchema.parse(raw);
    if (message.type === 'calls') reply({ type: 'calls', calls: connector.calls });
    else void connector.stop().then(() => process.exit(0));
  });
  // The benchmark dying must not leave this server running.
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'ready', serviceUrl });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies ChildMessage);
  process.exit(1);
});
