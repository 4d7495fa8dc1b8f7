import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from './config';

let cached: DynamoDBDocumentClient | undefined;

/** One document client per container; locally it points at DynamoDB Local. */
export function documentClient(): DynamoDBDocumentClient {
  if (!cached) {
    const endpoint = config().dynamoEndpoint;
    const client = new DynamoDBClient(
      endpoint
        ? {
            endpoint,
            region: process.env.AWS_REGION ?? 'eu-central-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            maxAttempts: 3,
          }
        : { maxAttempts: 3 },
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
