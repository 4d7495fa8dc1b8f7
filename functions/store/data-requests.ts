/**
 * "Meine Daten" requests in the table. A request (keys.dataRequest) holds the sealed address only
 * for the mail: its stream INSERT makes the notifier send her data link; the link names the
 * request, the request names her lookup hash. It carries `emailHash`, so erasing her data takes
 * the request with it (reader index), and its TTL ends it anyway.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';
import { type RateWindow, rateCounterIncrement } from './rate-limits';
import { cancellationCodes, type TransactItem } from './transact';

const table = () => config().tableName;

export interface DataRequest {
  id: string;
  emailHash: string;
  emailEnc: string;
  lang: string;
  requestedAt: string;
  expiresAt: number;
}

export interface DataRequestLimits {
  address: { subject: string; limit: number; window: RateWindow };
  client?: { ipHash: string; limit: number; window: RateWindow };
}

/**
 * Counts the ask against both limits and, for an address with data (`request` given), stores the
 * request in the same transaction: the same writes whether anything is stored for her or not.
 * `limited` when either counter is full (then nothing is stored and no mail goes out).
 */
export async function putDataRequest(
  request: DataRequest | undefined,
  limits: DataRequestLimits,
): Promise<'stored' | 'counted' | 'limited'> {
  const items: TransactItem[] = [
    rateCounterIncrement('data-address', limits.address.subject, limits.address.limit, limits.address.window),
  ];
  if (limits.client) {
    items.push(
      rateCounterIncrement('data-ip', limits.client.ipHash, limits.client.limit, limits.client.window),
    );
  }
  if (request) {
    items.push({
      Put: {
        TableName: table(),
        Item: { ...keys.dataRequest(request.id), kind: 'data-request', ...request },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    return request ? 'stored' : 'counted';
  } catch (error) {
    if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) return 'limited';
    throw error;
  }
}

export async function getDataRequest(id: string): Promise<DataRequest | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.dataRequest(id), ConsistentRead: true }),
  );
  return result.Item as DataRequest | undefined;
}
