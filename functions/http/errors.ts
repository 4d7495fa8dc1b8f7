import type { FieldIssue } from '../core/schemas';
import { type DomainCode, DomainError } from '../usecases/errors';

/**
 * A failure the client should hear about, with a stable code. The message is chosen in the
 * reader's language when the response is built.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly fields: FieldIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

export const badInput = (fields: FieldIssue[]) => new HttpError(400, 'invalid_input', fields);
/** A cursor this store did not write for this very listing. */
export const invalidCursor = () => badInput([{ field: 'cursor', code: 'invalid_cursor' }]);

/** The status (and client code, where it differs) of each domain refusal: the one place that maps them. */
const DOMAIN_STATUS: Record<DomainCode, { status: number; code?: string }> = {
  invalid_input: { status: 400 },
  spam_suspected: { status: 400 },
  rate_limited: { status: 429 },
  wish_not_found: { status: 404 },
  already_voted: { status: 409 },
  not_voted: { status: 409 },
  stack_not_empty: { status: 409 },
  too_large: { status: 413, code: 'payload_too_large' },
  busy: { status: 503, code: 'service_unavailable' },
};

/** An HttpError as is; a use case's DomainError as the HttpError a client gets; anything else undefined. */
export function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (!(error instanceof DomainError)) return undefined;
  const { status, code = error.code } = DOMAIN_STATUS[error.code];
  const retryAfter = error.retryAfterSeconds;
  return new HttpError(status, code, error.fields, retryAfter ? { 'retry-after': String(retryAfter) } : {});
}
