/** Who hibi can reach (未インストール); spread into the catalogues. */
export const reachJa = {
  'reach.hrOnly': 'この一覧は総務課 人事担当のみが見られます。',
  'reach.title': 'hibi が届かない職員（{day} 時点）',
  'reach.unitLine': '{unit}: {reachable} / {total} 名に届きます',
  'reach.missing': '　未インストール: {names}',
  'reach.blocked': '　受信不可（ブロック・無効化）: {names}',
  'reach.allReachable': 'すべての職員に届きます。',
} as const;

export const reachEn: Record<keyof typeof reachJa, string> = {
  'reach.hrOnly': 'Only HR (総務課 人事) can see this list.',
  'reach.title': 'Staff hibi cannot reach (as of {day})',
  'reach.unitLine': '{unit}: reaches {reachable} of {total}',
  'reach.missing': '  Not installed: {names}',
  'reach.blocked': '  Blocked or disabled: {names}',
  'reach.allReachable': 'hibi reaches every member of staff.',
};
