/**
 * Double opt-in in the table. A confirmation request (keys.confirmationRequest) holds the sealed
 * address until its link is followed or its TTL ends; its stream INSERT makes the notifier send
 * the confirmation mail. A confirmed address is one item under its lookup hash with the time.
 * Both carry `emailHash`, so a reader's export and erasure find them (reader index).
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';
import type { RateWindow } from './rate-limits';
import { rateCounterIncrement } from './rate-limits';
import { cancellationCodes, type TransactItem } from './transact';

const table = () => config().tableName;

/** What she asked to be mailed about, named in the confirmation mail. */
export type ConfirmationPurpose = 'replies' | 'written' | 'vote';

export interface ConfirmationRequest {
  id: string;
  emailHash: string;
  emailEnc: string;
  lang: string;
  purpose: ConfirmationPurpose;
  /** The page she was on, for the mail ("on which page someone asked"). */
  page?: string;
  requestedAt: string;
  expiresAt: number;
}

export async function isConfirmed(emailHash: string): Promise<boolean> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: keys.readerConfirmation(emailHash),
      ProjectionExpression: 'pk',
      ConsistentRead: true,
    }),
  );
  return result.Item !== undefined;
}

/**
 * Stores the request with both rate counters in one transaction; `limited` when either counter
 * is full (then nothing is stored and no mail goes out).
 */
export async function putConfirmationRequest(
  request: ConfirmationRequest,
  limits: {
    address: { subject: string; limit: number; window: RateWindow };
    client?: { ipHash: string; limit: number; window: RateWindow };
  },
): Promise<'stored' | 'limited'> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: { ...keys.confirmationRequest(request.id), kind: 'confirmation-request', ...request },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    rateCounterIncrement(
      'optin-address',
      limits.address.subject,
      limits.address.limit,
      limits.address.window,
    ),
  ];
  if (limits.client) {
    items.push(
      rateCounterIncrement('optin-ip', limits.client.ipHash, limits.client.limit, limits.client.window),
    );
  }
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    return 'stored';
  } catch (error) {
    if (cancellationCodes(error)?.slice(1).includes('ConditionalCheckFailed')) return 'limited';
    throw error;
  }
}

export async function getConfirmationRequest(id: string): Promise<ConfirmationRequest | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.confirmationRequest(id), ConsistentRead: true }),
  );
  return result.Item as ConfirmationRequest | undefined;
}

/** Marks the address confirmed (with the time) and removes the request, together. */
export async function confirmAddress(request: ConfirmationRequest, now: Date): Promise<void> {
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: {
              ...keys.readerConfirmation(request.emailHash),
              kind: 'confirmation',
              emailHash: request.emailHash,
              confirmedAt: now.toISOString(),
            },
          },
        },
        { Delete: { TableName: table(), Key: keys.confirmationRequest(request.id) } },
      ],
    }),
  );
}
