/**
 * Table storage that does not answer at all (connection refused or reset, timeout, 5xx), as opposed
 * to an answer hibi expects and handles (404, 409, 412): the person must hear that nothing was saved.
 */
export function isStorageUnreachable(error: unknown): boolean {
  const e = error as { name?: string; statusCode?: number; code?: string } | undefined;
  if (e?.name !== 'RestError') return false;
  return e.statusCode === undefined || e.statusCode >= 500 || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(e.code ?? '');
}
