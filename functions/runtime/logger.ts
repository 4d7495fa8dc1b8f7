/**
 * Structured JSON logs. Nothing that identifies a reader is ever passed in: call sites log ids,
 * codes and counts; the redaction below is a second line of defence.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

const REDACTED_KEYS = /email|ip|token|secret|password|authorization|cookie/i;

export const logger = new Logger({
  serviceName: 'leserpost',
  logLevel: (process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'SILENT' : 'INFO')) as LogLevel,
  jsonReplacerFn: (key: string, value: unknown) => (key && REDACTED_KEYS.test(key) ? '[redacted]' : value),
});
