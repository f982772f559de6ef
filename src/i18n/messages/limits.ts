/** Answers of the request guards (rate limit, conversation scope); spread into the catalogues. */
export const limitsJa = {
  'limits.rate': '短い時間にたくさんのメッセージが届いたため、少しのあいだ受け付けを止めています（1分間に{limit}件まで）。1分ほどおいてから、もう一度送ってください。',
  'limits.personalOnly': 'hibi とのやりとりは、hibi との個人チャットでお願いします。チャネルやグループチャットでは、記録や個人の情報を表示しません。',
} as const;

export const limitsEn: Record<keyof typeof limitsJa, string> = {
  'limits.rate': 'You have sent many messages in a short time, so hibi is pausing for a moment (at most {limit} a minute). Please send it again in about a minute.',
  'limits.personalOnly': 'Please talk to hibi in your personal chat with it: in channels and group chats it shows no records or personal information.',
};
