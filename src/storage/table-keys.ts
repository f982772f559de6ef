/**
 * Azure Table keys may not contain / \ # ? or control characters and are compared as strings; every
 * part is percent-encoded for those characters only, so Japanese unit names stay readable in
 * Storage Explorer and keys still sort as their parts do.
 */
export function keyPart(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what Azure forbids in keys
  return value.replace(/[%/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Joins already meaningful parts with "|", the separator used by every key in hibi. */
export function compositeKey(...parts: string[]): string {
  return parts.map(keyPart).join('|');
}
