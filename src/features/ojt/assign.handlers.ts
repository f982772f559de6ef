import type { CommandRoute, HandlerContext } from '../../routing/handler-context';
import { normaliseText } from '../../shared/text';
import { tokyoDay } from '../../calendar/office-calendar';
import { toPerson } from '../../delivery/notifier';
import { translator, type MessageKey, type Translate } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import { who } from './ojt.cards';
import { resolveMentions } from '../../directory/mentions';
import { ojtKeys, type OjtDeps } from './ojt.deps';
import { assignProblem, inForceOn } from './ojt.rules';

const END_WORDS = new Set(['解除', '終了', 'end', 'remove']);

/**
 * `OJT 担当 @指導担当 @職員` (ojt assign): the 課長 of a 課 names who mentors whom; `OJT 担当 解除 @職員`
 * ends it; `OJT 担当` alone lists the 課's pairs. A chat command, not a CSV column: the 課長 decides
 * OJT pairs in the year, and HR's directory import should not have to follow each change.
 */
export function assignRoute(deps: OjtDeps): CommandRoute {
  async function handle(ctx: HandlerContext): Promise<void> {
    const typed = ctx.text.replace(/<at>([^<]*)<\/at>/g, '@$1');
    const refuse = (reason: string) => ctx.reply({ text: `${reason}\n\n${ctx.t('ojt.error.typed', { text: typed })}` });
    const manager = ctx.person;
    if (manager.role !== 'manager' || !manager.unit) return void (await refuse(ctx.t('ojt.error.notManager')));
    const unit = manager.unit;
    const words = normaliseText(ctx.args.replace(/<at>[^<]*<\/at>/g, ' '))
      .toLowerCase()
      .split(' ')
      .filter(Boolean);
    const ending = words.some((w) => END_WORDS.has(w));
    const directory = await deps.org.listPeople(ctx.tenantId);
    const today = tokyoDay(deps.clock.now());
    if (ctx.mentions.length === 0 && !ending) return list(ctx, unit, directory, today);
    const { found, unknownNames } = resolveMentions(ctx.mentions, directory);
    if (unknownNames.length > 0) return void (await refuse(ctx.t('ojt.error.unknown', { names: unknownNames.join('、') })));
    if (ending) {
      const [junior] = found;
      if (found.length !== 1 || !junior) return void (await refuse(ctx.t('ojt.error.mentionsEnd')));
      if (junior.unit !== unit) return void (await refuse(ctx.t('ojt.error.notInUnit', { unit })));
      const current = await deps.ojt.assignment(ctx.tenantId, junior.id);
      if (!current || !inForceOn(current, today)) return void (await ctx.reply({ text: ctx.t('ojt.assign.notAssigned', { junior: who(junior, ctx.t) }) }));
      await deps.ojt.saveAssignment({ ...current, endedOn: today, updatedAt: deps.clock.now().toISOString() });
      const mentor = directory.find((p) => p.id === current.mentorId);
      return void (await ctx.reply({ text: ctx.t('ojt.assign.ended', { junior: who(junior, ctx.t), mentor: mentor ? who(mentor, ctx.t) : '' }) }));
    }
    const [mentor, junior] = found;
    if (found.length !== 2 || !mentor || !junior) return void (await refuse(ctx.t('ojt.error.mentions')));
    const problem = assignProblem(manager, mentor, junior);
    if (problem) return void (await refuse(problemText(problem, mentor, junior, unit, ctx.t)));
    const current = await deps.ojt.assignment(ctx.tenantId, junior.id);
    const names = { mentor: who(mentor, ctx.t), junior: who(junior, ctx.t) };
    if (current && inForceOn(current, today) && current.mentorId === mentor.id) return void (await ctx.reply({ text: ctx.t('ojt.assign.already', names) }));
    await deps.ojt.saveAssignment({
      tenantId: ctx.tenantId,
      juniorId: junior.id,
      mentorId: mentor.id,
      unit,
      assignedBy: manager.id,
      since: today,
      updatedAt: deps.clock.now().toISOString(),
    });
    const mt = translator(await deps.localeOf(ctx.tenantId, mentor.id));
    const notice = mt('ojt.assign.notice', { manager: who(manager, mt), junior: who(junior, mt) });
    await deps.notifier.send(ctx.tenantId, today, [{ key: ojtKeys.assigned(junior.id, mentor.id, today), to: toPerson(mentor.id), message: { text: notice } }]);
    await ctx.reply({ text: ctx.t('ojt.assign.done', names) });
  }

  async function list(ctx: HandlerContext, unit: string, directory: readonly Person[], today: string): Promise<void> {
    const byId = new Map(directory.map((p) => [p.id, p]));
    const { assignments } = await deps.ojt.snapshot(ctx.tenantId);
    const lines = assignments
      .filter((a) => inForceOn(a, today) && byId.get(a.juniorId)?.unit === unit)
      .flatMap((a) => {
        const junior = byId.get(a.juniorId);
        const mentor = byId.get(a.mentorId);
        return junior && mentor ? [ctx.t('ojt.assign.currentLine', { junior: who(junior, ctx.t), mentor: who(mentor, ctx.t) })] : [];
      });
    const current = lines.length > 0 ? [ctx.t('ojt.assign.current', { unit }), ...lines].join('\n\n') : ctx.t('ojt.assign.none', { unit });
    await ctx.reply({ text: `${current}\n\n${ctx.t('ojt.assign.usage')}` });
  }

  return {
    name: 'ojt-assign',
    aliases: ['OJT 担当', 'OJT担当', 'ojt assign', 'ojt-assign'],
    descriptionKey: 'ojt.cmd.assign',
    example: { ja: 'OJT 担当 @主任 @主事', en: 'ojt assign @lead @staff' },
    handle,
  };
}

function problemText(problem: NonNullable<ReturnType<typeof assignProblem>>, mentor: Person, junior: Person, unit: string, t: Translate): string {
  const role = (p: Person) => t(`role.${p.role}` as MessageKey);
  if (problem === 'notManager') return t('ojt.error.notManager');
  if (problem === 'same') return t('ojt.error.same');
  if (problem === 'notInUnit') return t('ojt.error.notInUnit', { unit });
  if (problem === 'mentorRole') return t('ojt.error.mentorRole', { name: mentor.name, role: role(mentor) });
  return t('ojt.error.juniorRole', { name: junior.name, role: role(junior) });
}
