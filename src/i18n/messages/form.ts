/** What every card form says about a field it cannot take; spread into the catalogues. */
export const formJa = {
  'form.error.required': '入力してください',
  'form.error.max': '{max}文字以内で入力してください（いま {length}文字）',
  'form.error.date': '日付を選んでください',
  'form.error.time': '時刻を 16:40 のように選んでください',
  'form.error.choice': '一覧から選んでください',
} as const;

export const formEn: Record<keyof typeof formJa, string> = {
  'form.error.required': 'Please fill this in',
  'form.error.max': 'At most {max} characters (now {length})',
  'form.error.date': 'Choose a date',
  'form.error.time': 'Choose a time such as 16:40',
  'form.error.choice': 'Choose from the list',
};
