/** The help card and the language command; spread into the catalogues. */
export const helpJa = {
  'help.title': 'hibi の使い方',
  'help.intro': '{name}さん、hibi は毎日の朝会・夕会、1on1、ヒヤリハット、ありがとうを Teams で支えます。次のコマンドを送ってください。',
  'help.commands': 'コマンド',
  'help.cmd.help': '使い方（この画面）を表示します',
  'help.cmd.language': '表示言語を切り替えます（例: 言語 English / 言語 日本語）',
  'help.footer': 'コマンドは日本語でも英語でも使えます。',
  'help.unknownCommand': '「{text}」はわかりませんでした。使えるコマンドは次のとおりです。',
  'help.cmd.checkin': '朝のチェックイン（今日の最優先・困りごと）を開きます',
  'help.cmd.checkout': '夕方のふりかえり（できたこと・時間外）を開きます',
  'help.cmd.leave': '休暇を登録・取消・確認します（例: 休み / 休暇 11/26 / 午前休 11/26 / 休み 取消 11/26 / 休み 一覧）',
  'help.cmd.checkinSettings': '（人事担当）課ごとのチェックイン時刻とまとめの投稿先を設定します（例: チェックイン設定 住民課）',
  'help.cmd.notInstalled': '（人事担当）hibi が届かない職員（未インストール・ブロック）を課ごとに表示します',
  'language.changed': '表示言語を日本語にしました。',
  'language.invalid': '「{text}」は選べません。「言語 日本語」または「言語 English」と送ってください。',
} as const;

export const helpEn: Record<keyof typeof helpJa, string> = {
  'help.title': 'How to use hibi',
  'help.intro': '{name}, hibi supports your daily check-ins, 1on1s, near-miss reports and kudos in Teams. Send one of these commands.',
  'help.commands': 'Commands',
  'help.cmd.help': 'Show this help',
  'help.cmd.language': 'Change the display language (e.g. language English / language 日本語)',
  'help.footer': 'Commands work in Japanese and in English.',
  'help.unknownCommand': 'Sorry, I did not understand "{text}". These are the commands you can use.',
  'help.cmd.checkin': 'Open the morning check-in (top priority, troubles)',
  'help.cmd.checkout': 'Open the evening check-out (done, overtime)',
  'help.cmd.leave': 'Register, cancel or list days off (e.g. leave / leave 11/26 / leave am 11/26 / leave cancel 11/26 / leave list)',
  'help.cmd.checkinSettings': "(HR) Set a unit's check-in times and summary channel (e.g. checkin-settings 住民課)",
  'help.cmd.notInstalled': '(HR) Who hibi cannot reach (not installed or blocked), by unit',
  'language.changed': 'Your display language is now English.',
  'language.invalid': '"{text}" is not available. Send "language English" or "language 日本語".',
};
