/** Answers of the request guards (rate limit, conversation scope); spread into the catalogues. */
export const limitsJa = {
  'limits.rate': '短い時間にたくさんのメッセージが届いたため、少しのあいだ受け付けを止めています（1分間に{limit}件まで）。1分ほどおいてから、もう一度送ってください。',
  'limits.personalOnly': 'このコマンドは hibi との個人チャットでお願いします。チャネルやグループチャットでは、記録や個人の情報を表示しません（ここで使えるのは「ありがとう」と「ヘルプ」です）。',
} as const;

export const limitsEn: Record<keyof typeof limitsJa, string> = {
  'limits.rate': 'You have sent many messages in a short time, so hibi is pausing for a moment (at most {limit} a minute). Please send it again in about a minute.',
  'limits.personalOnly': 'Please use this command in your personal chat with hibi: in channels and group chats it shows no records or personal information (“thanks” and “help” work here too).',
};
