/** DynamoDB errors that mean "try again shortly", not "your request is wrong". */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
  'TimeoutError',
]);

export function isServiceUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $metadata, CancellationReasons } = error as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    CancellationReasons?: { Code?: string }[];
  };
  if (name && RETRYABLE.has(name)) return true;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  // A transaction that still collided with concurrent ones after its retries: busy, not wrong.
  if (name === 'TransactionConflictException') return true;
  if (
    name === 'TransactionCanceledException' &&
    CancellationReasons?.some((r) => r.Code === 'ThrottlingError' || r.Code === 'TransactionConflict')
  )
    return true;
  return ($metadata?.httpStatusCode ?? 0) >= 500;
}
