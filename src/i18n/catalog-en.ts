import type { MessageKey } from './catalog-ja';
import { kpiReportEn } from './messages/kpi-report';
import { kpiEn } from './messages/kpi';
import { ojtEn } from './messages/ojt';
import { paidleaveEn } from './messages/paidleave';
import { trainingEn } from './messages/training';
import { kudosEn } from './messages/kudos';
import { nearmissEn } from './messages/nearmiss';
import { oneononeEn } from './messages/oneonone';
import { oneononeSettingsEn } from './messages/oneonone-settings';
import { limitsEn } from './messages/limits';
import { reachEn } from './messages/reach';
import { helpEn } from './messages/help';
import { checkinEn } from './messages/checkin';
import { surveyEn } from './messages/survey';
import { formEn } from './messages/form';

export const en: Record<MessageKey, string> = {
  ...nearmissEn,
  ...kudosEn,
  ...kpiReportEn,
  ...oneononeEn,
  ...oneononeSettingsEn,
  ...limitsEn,
  ...reachEn,
  ...helpEn,
  ...checkinEn,
  ...kpiEn,
  ...ojtEn,
  ...paidleaveEn,
  ...trainingEn,
  ...surveyEn,
  ...formEn,
  'role.manager': 'section manager',
  'role.chief': 'chief',
  'role.senior': 'senior',
  'role.lead': 'lead',
  'role.staff': 'staff',
  'role.appointee': 'fiscal-year appointee',
  'role.executive': 'mayor / deputy mayor',
  notRegistered: 'Your account is not in the hibi staff directory. Please ask HR (総務課 人事) to register you.',
  'error.generic': 'Sorry, something went wrong. Please try again in a moment.',
  'error.storage': 'Not saved: storage is unreachable. Your answers are kept; please send them again in a moment.',
  welcome: 'Thank you for installing hibi. Send "help" to see what it can do.',
  'delivery.resent.label': 'Resent',
  'delivery.resent.prefix': '[Resent] {message}',
  'delivery.resent.note': '[Resent] hibi could not confirm that the earlier send arrived, so it is sent again. If you got two, they are the same.',
};
