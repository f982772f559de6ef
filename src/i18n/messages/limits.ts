/**
 * Answers of the request guards (rate limit, conversation scope), and what a list says when it is cut
 * or paged to keep a message under Teams' size limit; spread into the catalogues.
 */
export const limitsJa = {
  'limits.rate':
    '短い時間にたくさんのメッセージが届いたため、少しのあいだ受け付けを止めています（1分間に{limit}件まで）。1分ほどおいてから、もう一度送ってください。',
  'limits.personalOnly':
    'このコマンドは hibi との個人チャットでお願いします。チャネルやグループチャットでは、記録や個人の情報を表示しません（ここで使えるのは「ありがとう」と「ヘルプ」です）。',
  'checkin.summary.moreTroubles': 'ほかに困りごとが {count}件あります（カードに載せられる大きさを超えるため省略しました）。',
  'checkin.summary.namesAndMore': '{names} ほか {count}名',
  'checkin.summary.people': '{count}名',
  'reach.namesAndMore': '{names} ほか {count}名（全員は「未インストール {unit}」）',
  'reach.unitTitle': '{unit}: hibi が届かない職員（{day} 時点、{page} / {pages} ページ）',
  'reach.unitAllReachable': '{unit}: すべての職員（{total}名）に届きます。',
  'reach.nextPage': '続きは「未インストール {unit} {next}」',
  'reach.noSuchUnit': '「{unit}」という課は名簿にありません。課の名前は名簿のとおりに入力してください（例: 未インストール {example}）。',
  'reach.noSuchPage': '{unit} の一覧は {pages} ページまでです。',
} as const;

export const limitsEn: Record<keyof typeof limitsJa, string> = {
  'limits.rate':
    'You have sent many messages in a short time, so hibi is pausing for a moment (at most {limit} a minute). Please send it again in about a minute.',
  'limits.personalOnly':
    'Please use this command in your personal chat with hibi: in channels and group chats it shows no records or personal information (“thanks” and “help” work here too).',
  'checkin.summary.moreTroubles': '{count} more troubles are not listed: they would make the card too large to send.',
  'checkin.summary.namesAndMore': '{names} and {count} more',
  'checkin.summary.people': '{count} people',
  'reach.namesAndMore': '{names} and {count} more (everyone: “not-installed {unit}”)',
  'reach.unitTitle': '{unit}: staff hibi cannot reach (as of {day}, page {page} of {pages})',
  'reach.unitAllReachable': '{unit}: hibi reaches all {total} staff.',
  'reach.nextPage': 'More: “not-installed {unit} {next}”',
  'reach.noSuchUnit': 'There is no unit “{unit}” in the directory. Type the unit as the directory spells it (e.g. not-installed {example}).',
  'reach.noSuchPage': 'The list of {unit} has {pages} pages.',
};
