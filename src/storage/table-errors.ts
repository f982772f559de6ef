/** The HTTP status a Table Storage call failed with; undefined when no answer came at all. */
export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | undefined)?.statusCode;
}

/** A point read of a row that is not there: an expected answer, not a failure. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}
