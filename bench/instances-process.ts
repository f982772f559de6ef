import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';

export const instanceStartSchema = z.object({ connectionString: z.string(), tenantId: z.string(), env: z.record(z.string(), z.string()) });

export const instanceCommandSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('progress') }), z.object({ type: z.literal('stop') })]);
export type InstanceCommand = z.infer<typeof instanceCommandSchema>;

export const instanceReportSchema = z.object({
  id: z.string(),
  /** Live instances as this one last saw them, what its heartbeat says (idle, busy, borrowing), its calls per second and the equal part. */
  members: z.number(),
  state: z.string(),
  perSecond: z.number(),
  equalShare: z.number(),
  sent: z.number(),
  /** When it recorded its first and its last send (Date.now()). */
  firstSentAt: z.number().optional(),
  lastSentAt: z.number().optional(),
  /** Log lines by "<level> <message>". */
  logs: z.record(z.string(), z.number()),
  /** Table requests by "<table> <kind>": how many, and their time in total. */
  storage: z.record(z.string(), z.object({ count: z.number(), ms: z.number() })),
});
export type InstanceReport = z.infer<typeof instanceReportSchema>;

export const instanceMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), id: z.string() }),
  z.object({ type: z.literal('progress'), report: instanceReportSchema }),
  z.object({ type: z.literal('stopped'), report: instanceReportSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type InstanceMessage = z.infer<typeof instanceMessageSchema>;

export interface InstanceProcess {
  id: string;
  /** What the instance has done so far. */
  progress(): Promise<InstanceReport>;
  /** Stops it gracefully (sends in flight finish and are recorded, its heartbeat row removed) and returns its last report. */
  stop(): Promise<InstanceReport>;
}

/**
 * Starts one delivery instance (instances-child.ts) in a process of its own: its own event loop,
 * clock, limiter and heartbeat, as a separate App Service instance would have.
 */
export async function startInstanceProcess(start: z.infer<typeof instanceStartSchema>): Promise<InstanceProcess> {
  // fork reuses this process's execArgv, which under tsx carries its loader, so the child can be TypeScript.
  const child: ChildProcess = fork(path.join(__dirname, 'instances-child.ts'), [JSON.stringify(instanceStartSchema.parse(start))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (): Promise<InstanceMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (raw: unknown): void => {
        cleanup();
        const parsed = instanceMessageSchema.safeParse(raw);
        if (parsed.success) resolve(parsed.data);
        else reject(new Error(`instance process sent an unexpected message: ${JSON.stringify(raw).slice(0, 200)}`));
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`instance process exited (${code})`));
      };
      const cleanup = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const ask = async (command: InstanceCommand, expected: 'progress' | 'stopped'): Promise<InstanceReport> => {
    const answer = next();
    child.send(command);
    const message = await answer;
    if (message.type !== expected) throw new Error(message.type === 'failed' ? message.message : `instance process answered ${message.type}`);
    return message.report;
  };

  const ready = await next();
  if (ready.type !== 'ready') throw new Error(ready.type === 'failed' ? ready.message : 'instance process did not start');
  return {
    id: ready.id,
    progress: () => ask({ type: 'progress' }, 'progress'),
    stop: async () => {
      const report = await ask({ type: 'stop' }, 'stopped');
      child.disconnect();
      return report;
    },
  };
}
