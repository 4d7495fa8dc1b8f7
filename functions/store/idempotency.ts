/**
 * Idempotency records: the first response to a POST with an Idempotency-Key, stored in the same
 * transaction as what the POST wrote, so a retry gets exactly that response and writes nothing.
 * Keys are stored only as a keyed hash; the record expires by TTL.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';
import type { ConditionalWrite, TransactItem } from './transact';

/** Makes the write that stores a response, for the transaction of the write that produced it. */
export type ResponseRecorder = (statusCode: number, body: unknown) => ConditionalWrite;

export interface IdempotencyRecord {
  /** Keyed hash of the request body: the same key with another body is a client bug. */
  requestHash: string;
  statusCode: number;
  body: string;
  createdAt: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** Written unless a live record exists; an expired one that TTL has not removed yet is replaced. */
export function idempotencyRecordPut(keyHash: string, record: IdempotencyRecord, now: Date): TransactItem {
  return {
    Put: {
      TableName: config().tableName,
      Item: { ...keys.idempotency(keyHash), kind: 'idempotency', ...record },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
    },
  };
}

/** The stored record, unless it has expired (TTL deletion may lag for hours). */
export async function getIdempotencyRecord(
  keyHash: string,
  now: Date,
): Promise<IdempotencyRecord | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: config().tableName,
      Key: keys.idempotency(keyHash),
      ConsistentRead: true,
      ProjectionExpression: '#requestHash, #statusCode, #body, #createdAt, #expiresAt',
      ExpressionAttributeNames: {
        '#requestHash': 'requestHash',
        '#statusCode': 'statusCode',
        '#body': 'body',
        '#createdAt': 'createdAt',
        '#expiresAt': 'expiresAt',
      },
    }),
  );
  const record = result.Item as IdempotencyRecord | undefined;
  if (!record || record.expiresAt * 1000 <= now.getTime()) return undefined;
  return record;
}
