import type { CommandRoute, HandlerContext } from '../../src/routing/handler-context';
import { Router } from '../../src/routing/router';
import { mountFeatures, type FeatureModule } from '../../src/features/feature-module';
import type { DailyJobSource } from '../../src/scheduler/daily-job';

const handle = async (_ctx: HandlerContext): Promise<void> => undefined;

function command(name: string): CommandRoute {
  return { name, aliases: [name], descriptionKey: 'help.cmd.help', example: { ja: name, en: name }, handle };
}

function job(): DailyJobSource {
  return { occurrences: async () => [] };
}

function feature(name: string, parts: Partial<FeatureModule> = {}): FeatureModule {
  return { name, tables: [], commands: [], verbs: [], searches: [], jobs: [], ...parts };
}

describe('mountFeatures', () => {
  it("registers every feature's routes and returns their jobs, both in list order", async () => {
    const router = new Router(handle);
    const [first, second, third] = [job(), job(), job()];
    const jobs = mountFeatures(
      router,
      [
        feature('a', { commands: [command('b1'), command('b2')], jobs: [first] }),
        feature('c', {
          commands: [command('a1')],
          verbs: [{ verb: 'c.submit', handle }],
          searches: [{ dataset: 'c.people', search: async () => [] }],
          jobs: [second, third],
        }),
      ],
      [],
    );
    expect(router.listCommands().map((route) => route.name)).toEqual(['b1', 'b2', 'a1']);
    expect(router.searchFor('c.people')).toBeDefined();
    expect(router.parse('a1')?.route.name).toBe('a1');
    expect(jobs).toEqual([first, second, third]);
  });

  it('refuses to start a feature whose table the app does not create', () => {
    const modules = [feature('ok', { tables: ['made'] }), feature('late', { tables: ['made', 'missing'] })];
    expect(() => mountFeatures(new Router(handle), modules, ['made'])).toThrow('feature late uses tables the app does not create: missing');
  });
});
