import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';
import { config } from './config';

/**
 * Timeouts of every DynamoDB request (LIMITS.dynamo): without them a database that hangs keeps each
 * request waiting until the Lambda dies, instead of answering 503 at once. throwOnRequestTimeout
 * makes the request timeout end the attempt (without it the SDK only logs a warning).
 * DYNAMODB_REQUEST_TIMEOUT_MS overrides the request timeout for the test suite only: on a drowning
 * CI machine DynamoDB Local answers a burst of 40 transactions slower than that, and timed-out
 * attempts it still works through, plus their retries, starve every later request.
 */
export function dynamoRequestHandler() {
  return {
    connectionTimeout: LIMITS.dynamo.connectionTimeoutMs,
    requestTimeout: Number(process.env.DYNAMODB_REQUEST_TIMEOUT_MS) || LIMITS.dynamo.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

let cached: DynamoDBDocumentClient | undefined;

/** One document client per container; locally it points at DynamoDB Local. */
export function documentClient(): DynamoDBDocumentClient {
  if (!cached) {
    const endpoint = config().dynamoEndpoint;
    const common = { maxAttempts: LIMITS.dynamo.maxAttempts, requestHandler: dynamoRequestHandler() };
    const client = new DynamoDBClient(
      endpoint
        ? {
            endpoint,
            region: process.env.AWS_REGION ?? 'eu-central-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            ...common,
          }
        : common,
    );
    cached = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return cached;
}

export function resetDocumentClient(): void {
  cached = undefined;
}
