import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Message text, names and free-text answers are never logged: callers log ids
 * and outcomes only, and the redact list is a second line of defence for fields that slip through.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'hibi' },
      redact: { paths: ['*.text', '*.name', '*.email', 'text', 'name', 'email'], censor: '[redacted]' },
    },
    destination,
  );
}
