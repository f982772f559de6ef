/** NFKC folds full-width letters and the ideographic space that Japanese keyboards produce. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}
