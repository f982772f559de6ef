import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import type { CallRecord, LimitedConnectorOptions } from './limited-connector';

export const connectorOptionsSchema = z.object({
  globalPerSecond: z.number().positive(),
  latencyMs: z.number().int().min(0).optional(),
  keepSummary: z.boolean().optional(),
  signalAfterSends: z.number().int().positive().optional(),
});

const callRecordSchema = z.object({
  kind: z.enum(['create', 'send', 'reply', 'update']),
  conversationId: z.string().optional(),
  at: z.number(),
  refusedBy: z.enum(['global', 'conversation']).optional(),
  retryAfterSeconds: z.number().optional(),
  answeredAt: z.number().optional(),
  unanswered: z.boolean().optional(),
  summary: z.string().optional(),
});

export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), serviceUrl: z.string() }),
  z.object({ type: z.literal('calls'), calls: z.array(callRecordSchema) }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('signal') }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

export const parentMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('calls') }), z.object({ type: z.literal('stop') })]);
export type ParentMessage = z.infer<typeof parentMessageSchema>;

export interface ConnectorProcess {
  serviceUrl: string;
  pid: number;
  calls(): Promise<CallRecord[]>;
  /** Resolves when `signalAfterSends` sends have been accepted (never without that option). */
  signalled: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the limited connector in its own process. In the benchmark's process its clock would be the
 * worker's: any pause of that event loop (GC, parsing a page of rows) would bunch requests that left
 * on time into one instant and draw 429s a real, separate service would never send.
 */
export async function startConnectorProcess(options: LimitedConnectorOptions & z.infer<typeof connectorOptionsSchema>): Promise<ConnectorProcess> {
  // fork reuses this process's execArgv, which under tsx carries its loader, so the child can be TypeScript.
  const child: ChildProcess = fork(path.join(__dirname, 'connector-child.ts'), [JSON.stringify(connectorOptionsSchema.parse(options))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let signal = (): void => undefined;
  const signalled = new Promise<void>((resolve) => (signal = resolve));
  // The signal comes unasked, so it has a listener of its own and is never taken for an answer.
  const isSignal = (raw: unknown): boolean => typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'signal';
  child.on('message', (raw: unknown) => {
    if (isSignal(raw)) signal();
  });
  const next = (): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (raw: unknown): void => {
        if (isSignal(raw)) return;
        cleanup();
        const parsed = childMessageSchema.safeParse(raw);
        if (parsed.success) resolve(parsed.data);
        else reject(new Error(`connector process sent an unexpected message: ${JSON.stringify(raw).slice(0, 200)}`));
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`connector process exited (${code})`));
      };
      const cleanup = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const send = (message: ParentMessage): void => {
    child.send(message);
  };

  const ready = await next();
  if (ready.type !== 'ready') throw new Error(ready.type === 'failed' ? ready.message : 'connector process did not start');
  return {
    serviceUrl: ready.serviceUrl,
    pid: child.pid ?? -1,
    calls: async () => {
      const answer = next();
      send({ type: 'calls' });
      const message = await answer;
      if (message.type !== 'calls') throw new Error('connector process did not return its calls');
      return message.calls;
    },
    signalled,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        send({ type: 'stop' });
      }),
  };
}
