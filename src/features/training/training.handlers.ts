import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { fiscalPeriodLabelJa, fiscalPeriodOf, tokyoDay, type FiscalPeriod } from '../../calendar/office-calendar';
import { formatDate, formatTime, type Locale, type Translate } from '../../i18n/i18n';
import { readForm, type FieldMessages } from '../../shared/card-form';
import type { Clock } from '../../shared/clock';
import { decideReportScope, scopeRequestSchema, type ScopeRefusal } from '../kpi/kpi.public';
import type { OrgRepository } from '../../directory/org.repository';
import { renderAttendanceForm, renderPending, type AttendanceState } from './training.cards';
import { activeUnits } from './training.forms';
import type { TrainingRepository } from './training.repository';
import { ATTENDANCE_FIELDS, attendanceSubmitSchema, trainingIdSchema, type Attendance, type Training } from './training.schema';
import { countedTrainings, indexAttendance, isTargeted, pendingOf } from './training.service';

export interface TrainingDeps {
  trainings: TrainingRepository;
  org: Pick<OrgRepository, 'listPeople'>;
  clock: Clock;
}

/** Anything but a too-long note means no answer was chosen. */
const ATTENDANCE_MESSAGES: FieldMessages = { choice: 'training.error.choice', other: 'training.error.choice' };

function periodLabel(period: FiscalPeriod, locale: Locale): string {
  return locale === 'ja' ? fiscalPeriodLabelJa(period) : `FY${period.fiscalYear} ${period.half}`;
}

/** What the card shows of an answer already stored: the person's own, and HR's where it differs. */
function storedState(attendance: Attendance | undefined, t: Translate, locale: Locale, again = false): Pick<AttendanceState, 'savedLine' | 'hrLine'> {
  const self = attendance?.self;
  const savedLine =
    self && attendance.selfAt
      ? t(again ? 'training.attendance.savedAgain' : 'training.attendance.saved', {
          answer: t(`training.attendance.${self}`),
          at: `${formatDate(attendance.selfAt, locale)} ${formatTime(new Date(attendance.selfAt), locale)}`,
        })
      : undefined;
  const hr = attendance?.hr;
  const hrLine = hr && hr !== self ? t('training.attendance.hrRecorded', { answer: t(`training.attendance.${hr}`) }) : undefined;
  return { savedLine, hrLine };
}

function refusalOf(refusal: ScopeRefusal, t: Translate): string {
  switch (refusal.reason) {
    case 'notAllowed':
      return t('training.pending.notAllowed');
    case 'ownUnitOnly':
      return t('training.pending.ownUnitOnly', { unit: refusal.unit });
    case 'unknownUnit':
      return t('training.pending.unknownUnit', { unit: refusal.unit, units: refusal.units.join(t('kpiReport.scope.unitSeparator')) });
    case 'noUnit':
      return t('training.pending.noUnitOfOwn');
  }
}

export function trainingHandlers(deps: TrainingDeps): { command: CommandRoute; verb: VerbRoute } {
  /** The training a submit names, if the sender may record it now; otherwise they are told why not. */
  async function recordable(ctx: HandlerContext): Promise<Training | undefined> {
    const id = trainingIdSchema.safeParse((ctx.value as { trainingId?: unknown } | undefined)?.trainingId);
    if (!id.success) return void (await ctx.reply({ text: ctx.t('training.error.invalid') }));
    const training = await deps.trainings.get(ctx.tenantId, id.data);
    if (!training) return void (await ctx.reply({ text: ctx.t('training.error.notFound') }));
    if (!training.required || !isTargeted(training, ctx.person)) return void (await ctx.reply({ text: ctx.t('training.error.notInvited') }));
    if (training.endDay >= tokyoDay(deps.clock.now())) return void (await ctx.reply({ text: ctx.t('training.error.notOver') }));
    return training;
  }

  async function recordAttendance(ctx: HandlerContext): Promise<void> {
    const training = await recordable(ctx);
    if (!training) return;
    const parsed = readForm(attendanceSubmitSchema, ctx.value, ATTENDANCE_FIELDS, ctx.t, ATTENDANCE_MESSAGES);
    const stored = await deps.trainings.attendanceOf(ctx.tenantId, training.id, ctx.person.id);
    if (!parsed.ok) {
      const { values, errors } = parsed;
      return ctx.answerInPlace({ card: renderAttendanceForm(training, ctx.t, ctx.locale, { values, errors, ...storedState(stored, ctx.t, ctx.locale) }) });
    }
    const { answer, note } = parsed.data;
    const values = { answer, note: note ?? '' };
    // The same card pressed twice, or sent again by Teams, writes nothing more: one record, and it says so.
    if (stored?.self === answer && (stored.selfNote ?? '') === values.note) {
      return ctx.answerInPlace({
        card: renderAttendanceForm(training, ctx.t, ctx.locale, { values, errors: {}, ...storedState(stored, ctx.t, ctx.locale, true) }),
      });
    }
    const now = deps.clock.now();
    await deps.trainings.recordSelf(ctx.tenantId, training.id, ctx.person.id, answer, note, now);
    const saved: Attendance = { ...(stored ?? { trainingId: training.id, personId: ctx.person.id }), self: answer, selfNote: note, selfAt: now.toISOString() };
    await ctx.answerInPlace({ card: renderAttendanceForm(training, ctx.t, ctx.locale, { values, errors: {}, ...storedState(saved, ctx.t, ctx.locale) }) });
  }

  async function listPending(ctx: HandlerContext): Promise<void> {
    const directory = await deps.org.listPeople(ctx.tenantId);
    const units = activeUnits(directory);
    const decision = decideReportScope(ctx.person, scopeRequestSchema.parse(ctx.args.slice(0, 200)), units);
    if (!decision.allowed) return void (await ctx.reply({ text: refusalOf(decision.refusal, ctx.t) }));
    const today = tokyoDay(deps.clock.now());
    const period = fiscalPeriodOf(today);
    const counted = countedTrainings(await deps.trainings.list(ctx.tenantId), period.start, period.end, today);
    const scope = decision.scope;
    const people = scope.kind === 'unit' ? directory.filter((p) => p.unit === scope.unit) : directory;
    const pending = counted.length === 0 ? [] : pendingOf(counted, people, indexAttendance(await deps.trainings.listAttendance(ctx.tenantId)));
    const scopeLabel = scope.kind === 'unit' ? scope.unit : ctx.t('training.pending.town');
    const card = renderPending(
      { scope: scopeLabel, periodLabel: periodLabel(period, ctx.locale), trainings: counted.length, pending, oneUnit: scope.kind === 'unit' },
      ctx.t,
    );
    await ctx.reply({ card, summary: ctx.t('training.pending.title', { scope: scopeLabel, period: periodLabel(period, ctx.locale) }) });
  }

  return {
    command: {
      name: 'training-pending',
      aliases: ['研修 未受講', '研修未受講', 'training pending', 'training-pending'],
      descriptionKey: 'help.cmd.trainingPending',
      example: { ja: '研修 未受講', en: 'training pending' },
      handle: listPending,
    },
    verb: { verb: 'training.attendance', handle: recordAttendance },
  };
}
