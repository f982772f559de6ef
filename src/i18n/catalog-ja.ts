/** The Japanese catalogue is the reference: every other language must provide the same keys. */
export const ja = {
  'common.appName': 'hibi（日々）',
  'help.title': 'hibi の使い方',
  'help.intro': '{name}さん、こんにちは。hibi は毎日の朝会・夕会、1on1、ヒヤリハット、ありがとうを Teams で支えます。次のコマンドを送ってください。',
  'help.commands': 'コマンド',
  'help.cmd.help': '使い方（この画面）を表示します',
  'help.cmd.language': '表示言語を切り替えます（例: 言語 English / 言語 日本語）',
  'help.footer': 'コマンドは日本語でも英語でも使えます。',
  'help.unknownCommand': '「{text}」はわかりませんでした。使えるコマンドは次のとおりです。',
  'notRegistered': 'hibi の職員名簿にあなたのアカウントが見つかりませんでした。総務課 人事担当にお問い合わせください。',
  'language.changed': '表示言語を日本語にしました。',
  'language.invalid': '「{text}」は選べません。「言語 日本語」または「言語 English」と送ってください。',
  'error.generic': '申し訳ありません、処理中に問題が起きました。少し時間をおいてもう一度お試しください。',
  'error.storage': '保存できませんでした（記録装置に接続できません）。入力内容はそのままです。少し時間をおいてもう一度送ってください。',
  'welcome': 'hibi をインストールしていただきありがとうございます。「ヘルプ」と送ると使い方を表示します。',
} as const;

export type MessageKey = keyof typeof ja;
