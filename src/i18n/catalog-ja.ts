import { kpiReportJa } from './messages/kpi-report';
import { kpiJa } from './messages/kpi';
import { ojtJa } from './messages/ojt';
import { paidleaveJa } from './messages/paidleave';
import { trainingJa } from './messages/training';
import { kudosJa } from './messages/kudos';
import { nearmissJa } from './messages/nearmiss';
import { oneononeJa } from './messages/oneonone';
import { oneononeSettingsJa } from './messages/oneonone-settings';
import { limitsJa } from './messages/limits';
import { reachJa } from './messages/reach';
import { helpJa } from './messages/help';
import { checkinJa } from './messages/checkin';
import { surveyJa } from './messages/survey';
import { formJa } from './messages/form';

/**
 * The Japanese catalogue is the reference: every other language must provide the same keys.
 * Each feature keeps its messages in ./messages/<feature>.ts, spread in here; what stays below is
 * shared by every feature (roles, errors, the welcome, resends).
 */
export const ja = {
  ...nearmissJa,
  ...kudosJa,
  ...kpiReportJa,
  ...oneononeJa,
  ...oneononeSettingsJa,
  ...limitsJa,
  ...reachJa,
  ...helpJa,
  ...checkinJa,
  ...kpiJa,
  ...ojtJa,
  ...paidleaveJa,
  ...trainingJa,
  ...surveyJa,
  ...formJa,
  'role.manager': '課長',
  'role.chief': '主幹',
  'role.senior': '主査',
  'role.lead': '主任',
  'role.staff': '主事',
  'role.appointee': '会計年度任用職員',
  'role.executive': '町長・副町長',
  notRegistered: 'hibi の職員名簿にあなたのアカウントが見つかりませんでした。総務課 人事担当にお問い合わせください。',
  'error.generic': '申し訳ありません、処理中に問題が起きました。少し時間をおいてもう一度お試しください。',
  'error.storage': '保存できませんでした（記録装置に接続できません）。入力内容はそのままです。少し時間をおいてもう一度送ってください。',
  welcome: 'hibi をインストールしていただきありがとうございます。「ヘルプ」と送ると使い方を表示します。',
  'delivery.resent.label': '再送',
  'delivery.resent.prefix': '【再送】{message}',
  'delivery.resent.note': '【再送】前回の送信が届いたか確認できなかったため、もう一度お送りしました。2通届いている場合、内容は同じです。',
} as const;

export type MessageKey = keyof typeof ja;
