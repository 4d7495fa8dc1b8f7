import type { FieldIssue } from '../core/schemas';

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
