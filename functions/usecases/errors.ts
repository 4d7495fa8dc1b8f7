/**
 * Why a use case refuses, in domain words: a stable code, the offending fields and, when trying
 * again later helps, after how many seconds. The API (functions/http/errors.ts maps codes to
 * statuses), the author's command line and the importer each say it their own way.
 */
import { errorText, fieldText, type Lang } from '../core/messages';
import type { FieldIssue } from '../core/schemas';

export type DomainCode =
  | 'invalid_input'
  | 'spam_suspected'
  | 'rate_limited'
  | 'wish_not_found'
  | 'already_voted'
  | 'not_voted'
  | 'stack_not_empty'
  | 'too_large'
  | 'busy';

export class DomainError extends Error {
  constructor(
    readonly code: DomainCode,
    readonly fields: FieldIssue[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(fields.length ? `${code}: ${fields.map((f) => `${f.field} ${f.code}`).join(', ')}` : code);
    this.name = 'DomainError';
  }
}

/** One refused field. */
export const invalidField = (field: string, code: string) =>
  new DomainError('invalid_input', [{ field, code }]);

/** The refusal in plain words, for people at a terminal (the author's command line, the importer). */
export function describeDomainError(error: DomainError, lang: Lang): string {
  const code = error.code === 'busy' ? 'service_unavailable' : error.code;
  const fields = error.fields.map((issue) => `${issue.field}: ${fieldText(issue.code, lang)}`);
  const wait = error.retryAfterSeconds
    ? lang === 'de'
      ? `(Nach ${error.retryAfterSeconds} s noch einmal versuchen.)`
      : `(Try again after ${error.retryAfterSeconds} s.)`
    : '';
  return [[errorText(code, lang), wait].filter(Boolean).join(' '), ...fields].join('\n  ');
}
