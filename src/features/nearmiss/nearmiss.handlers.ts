import { randomUUID } from 'node:crypto';
import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { fiscalPeriodOf, tokyoDay } from '../../calendar/office-calendar';
import { toPerson, type Notifier } from '../../delivery/notifier';
import { translator, type MessageKey } from '../../i18n/i18n';
import { readForm } from '../../shared/card-form';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import type { Person } from '../../directory/org.schema';
import type { PersonLocale } from '../../preferences/locale-resolver';
import { renderList, renderReportForm, renderReportView, renderThanks } from './nearmiss.cards';
import type { NearMissRepository } from './nearmiss.repository';
import { DECIDE_FIELDS, decideSubmitSchema, formIdSchema, parseReportId, reportIdSchema, reportRefSchema, type NearMiss } from './nearmiss.schema';
import { flagRepeat } from './nearmiss.repeats';
import { canAct, canRead, readReport, routeReport, toHour } from './nearmiss.service';
import { nearmissKeys, refreshRecipientCards, viewFor } from './nearmiss.views';

export interface NearMissDeps {
  reports: NearMissRepository;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  clock: Clock;
}

/** How many reports the list shows: a phone screen's worth; older ones are HR's export. */
const LIST_SIZE = 20;

/** True for a submit that must not be linked to its sender, read before anything else runs. */
export function isAnonymousSubmit(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const anonymous = (value as { anonymous?: unknown }).anonymous;
  return anonymous === true || anonymous === 'true';
}

export function nearmissHandlers(deps: NearMissDeps): { commands: CommandRoute[]; verbs: VerbRoute[] } {
  async function openForm(ctx: HandlerContext): Promise<void> {
    await ctx.reply({ card: renderReportForm(deps.clock.now(), ctx.t, ctx.locale, randomUUID()), summary: ctx.t('nearmiss.title') });
  }

  async function submit(ctx: HandlerContext): Promise<void> {
    const now = deps.clock.now();
    const submittedFormId = formIdSchema.safeParse((ctx.value as { formId?: unknown } | undefined)?.formId);
    const formId = submittedFormId.success ? submittedFormId.data : randomUUID();
    const reading = readReport(ctx.value, now, ctx.t);
    if (!reading.ok) return ctx.answerInPlace({ card: renderReportForm(now, ctx.t, ctx.locale, formId, reading) });
    const { data, occurredAt } = reading;
    const day = tokyoDay(now);
    const fiscalYear = fiscalPeriodOf(day).fiscalYear;
    const directory = await deps.org.listPeople(ctx.tenantId);
    const recipients = routeReport(data, ctx.person, directory);
    // A card sent again, even while its first copy is still being filed, takes no number of its own.
    const claimed = await deps.reports.numberForm(ctx.tenantId, formId, fiscalYear);
    const filedAgain = () => ctx.answerInPlace({ card: renderThanks(claimed, ctx.t('nearmiss.thanks.again'), ctx.t) });
    // The same card again (a double tap, a retry): one report, and the reporter sees its number again.
    if (await deps.reports.get(ctx.tenantId, claimed)) return filedAgain();
    const { seq, fiscalYear: filedYear } = parseReportId(claimed);
    // Anonymous: the hour only, for both times; a minute would line up with whoever was online then.
    const filedAt = data.anonymous ? toHour(now) : now.toISOString();
    const report: NearMiss = {
      tenantId: ctx.tenantId,
      id: claimed,
      fiscalYear: filedYear,
      seq,
      day,
      unit: ctx.person.unit ?? '',
      anonymous: data.anonymous,
      reporterId: data.anonymous ? undefined : ctx.person.id,
      occurredAt: data.anonymous ? toHour(occurredAt) : occurredAt.toISOString(),
      category: data.category,
      impact: data.impact,
      what: data.what,
      consequence: data.consequence,
      cause: data.cause,
      idea: data.idea,
      recipientIds: recipients.map((p) => p.id),
      status: 'received',
      createdAt: filedAt,
      updatedAt: filedAt,
    };
    if (!(await deps.reports.create(report))) return filedAgain();
    const byId = new Map(directory.map((p) => [p.id, p]));
    const items = await Promise.all(
      recipients.map(async (recipient) => ({
        key: nearmissKeys.report(report.id, recipient.id),
        to: toPerson(recipient.id),
        message: await viewFor(deps, ctx.tenantId, recipient, report, byId),
        // The outbox would otherwise keep the minute 送信 was pressed, which the report itself does not.
        coarseTimes: report.anonymous,
      })),
    );
    await deps.notifier.send(ctx.tenantId, day, items);
    const names = recipients.map((p) => `${ctx.t(`role.${p.role}` as MessageKey)} ${p.name}`).join('、');
    const note = data.anonymous ? ctx.t('nearmiss.thanks.anonymous') : ctx.t('nearmiss.thanks.sentTo', { names });
    await ctx.answerInPlace({ card: renderThanks(report.id, note, ctx.t) });
    // After the thanks: a failure here must not make the reporter think the report was lost and file it twice.
    await flagRepeat(deps, report, directory, day);
  }

  /** The report if the asker may read it; otherwise they are told so and see nothing of it. */
  async function readable(ctx: HandlerContext, id: string): Promise<{ report: NearMiss; etag: string; byId: Map<string, Person> } | undefined> {
    const found = await deps.reports.get(ctx.tenantId, id);
    if (!found || !canRead(found.report, ctx.person)) {
      await ctx.reply({ text: ctx.t('nearmiss.error.notAllowed') });
      return undefined;
    }
    const directory = await deps.org.listPeople(ctx.tenantId);
    return { ...found, byId: new Map(directory.map((p) => [p.id, p])) };
  }

  /** Every recipient's card shows the new step; the named reporter is told. */
  async function announce(ctx: HandlerContext, report: NearMiss, byId: Map<string, Person>, step: 'acknowledged' | 'decided'): Promise<void> {
    await ctx.answerInPlace(await viewFor(deps, ctx.tenantId, ctx.person, report, byId));
    await refreshRecipientCards(deps, report, byId);
    if (!report.reporterId) return;
    const t = translator(await deps.localeOf(ctx.tenantId, report.reporterId));
    const text =
      step === 'acknowledged'
        ? t('nearmiss.notice.acknowledged', { id: report.id, name: ctx.person.name })
        : t('nearmiss.notice.decided', { id: report.id, countermeasure: report.countermeasure ?? '', owner: report.countermeasureOwner ?? '' });
    const today = tokyoDay(deps.clock.now());
    await deps.notifier.send(ctx.tenantId, today, [{ key: nearmissKeys.step(report.id, step), to: toPerson(report.reporterId), message: { text } }]);
  }

  async function acknowledge(ctx: HandlerContext): Promise<void> {
    const parsed = reportRefSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('nearmiss.error.invalid') }));
    const found = await readable(ctx, parsed.data.id);
    if (!found) return;
    const { report, etag, byId } = found;
    if (!canAct(report, ctx.person)) return void (await ctx.reply({ text: ctx.t('nearmiss.error.notAllowed') }));
    if (report.status !== 'received') {
      const name = byId.get(report.acknowledgedBy ?? '')?.name ?? '';
      return void (await ctx.reply({ text: ctx.t('nearmiss.ack.already', { name }) }));
    }
    const updated: NearMiss = { ...report, status: 'acknowledged', acknowledgedBy: ctx.person.id, updatedAt: deps.clock.now().toISOString() };
    if (!(await deps.reports.replace(updated, etag))) {
      const latest = await deps.reports.get(ctx.tenantId, report.id);
      const name = byId.get(latest?.report.acknowledgedBy ?? '')?.name ?? '';
      return void (await ctx.reply({ text: ctx.t('nearmiss.ack.already', { name }) }));
    }
    await announce(ctx, updated, byId, 'acknowledged');
  }

  async function decide(ctx: HandlerContext): Promise<void> {
    const id = reportIdSchema.safeParse((ctx.value as { id?: unknown } | undefined)?.id);
    if (!id.success) return void (await ctx.reply({ text: ctx.t('nearmiss.error.invalid') }));
    const found = await readable(ctx, id.data);
    if (!found) return;
    const { report, etag, byId } = found;
    if (!canAct(report, ctx.person)) return void (await ctx.reply({ text: ctx.t('nearmiss.error.notAllowed') }));
    if (report.status !== 'received' && report.status !== 'acknowledged') return void (await ctx.reply({ text: ctx.t('nearmiss.decide.already') }));
    const parsed = readForm(decideSubmitSchema, ctx.value, DECIDE_FIELDS, ctx.t);
    if (!parsed.ok) {
      const card = renderReportView(report, ctx.t, ctx.locale, { reporter: byId.get(report.reporterId ?? ''), byId, canAct: true, decideState: parsed });
      return ctx.answerInPlace({ card });
    }
    const updated: NearMiss = {
      ...report,
      status: 'decided',
      acknowledgedBy: report.acknowledgedBy ?? ctx.person.id,
      countermeasure: parsed.data.countermeasure,
      countermeasureOwner: parsed.data.owner,
      decidedBy: ctx.person.id,
      updatedAt: deps.clock.now().toISOString(),
    };
    if (!(await deps.reports.replace(updated, etag))) return void (await ctx.reply({ text: ctx.t('nearmiss.decide.already') }));
    await announce(ctx, updated, byId, 'decided');
  }

  async function view(ctx: HandlerContext): Promise<void> {
    const parsed = reportRefSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('nearmiss.error.invalid') }));
    const found = await readable(ctx, parsed.data.id);
    if (!found) return;
    await ctx.reply(await viewFor(deps, ctx.tenantId, ctx.person, found.report, found.byId));
  }

  async function list(ctx: HandlerContext): Promise<void> {
    const visible = (await deps.reports.listAll(ctx.tenantId)).filter((r) => canRead(r, ctx.person));
    await ctx.reply({
      card: renderList(visible.slice(0, LIST_SIZE), visible.length, ctx.t, ctx.locale),
      summary: ctx.t('nearmiss.list.title', { count: visible.length }),
    });
  }

  return {
    commands: [
      {
        name: 'nearmiss',
        aliases: ['ヒヤリハット', 'nearmiss', 'near-miss', 'near miss', 'ひやりはっと', 'ヒヤリ'],
        descriptionKey: 'help.cmd.nearmiss',
        example: { ja: 'ヒヤリハット', en: 'nearmiss' },
        handle: openForm,
        // Who opened the form, and when, would point at the anonymous report filed minutes later.
        concealsSender: true,
      },
      {
        name: 'nearmiss-list',
        aliases: ['ヒヤリハット一覧', 'nearmiss-list', 'nearmisses'],
        descriptionKey: 'nearmiss.cmd.list',
        example: { ja: 'ヒヤリハット一覧', en: 'nearmiss-list' },
        handle: list,
      },
    ],
    verbs: [
      { verb: 'nearmiss.open', handle: openForm, concealsSender: () => true },
      { verb: 'nearmiss.submit', handle: submit, concealsSender: isAnonymousSubmit },
      { verb: 'nearmiss.ack', handle: acknowledge },
      { verb: 'nearmiss.decide', handle: decide },
      { verb: 'nearmiss.view', handle: view },
    ],
  };
}
