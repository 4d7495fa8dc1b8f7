/** DynamoDB errors that mean "try again shortly", not "your request is wrong". */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
  'TimeoutError',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

export function isServiceUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $metadata, CancellationReasons } = error as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    CancellationReasons?: { Code?: string }[];
  };
  if (name && RETRYABLE.has(name)) return true;
  if (code && NETWORK_CODES.has(code)) return true;
  // The SDK wraps a network error it cannot copy as "AWS SDK error wrapper for Error: connect ECONNREFUSED …".
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)\b/.test(message))
    return true;
  // A transaction that still collided with concurrent ones after its retries: busy, not wrong.
  if (name === 'TransactionConflictException') return true;
  if (
    name === 'TransactionCanceledException' &&
    CancellationReasons?.some((r) => r.Code === 'ThrottlingError' || r.Code === 'TransactionConflict')
  )
    return true;
  return ($metadata?.httpStatusCode ?? 0) >= 500;
}
