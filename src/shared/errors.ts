/** Coded errors: the code decides what the user is told, the message is for operators. */
export type ErrorCode = 'config' | 'storage-unavailable' | 'not-registered' | 'forbidden-tenant' | 'invalid-input';

export class HibiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HibiError';
  }
}
