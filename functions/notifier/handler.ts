/**
 * The notifier Lambda: a DynamoDB Streams batch handler with partial batch responses.
 * - INSERT of a comment → mail to the author with one-click links (approve, compliment, spam, delete).
 * - INSERT of a wish → mail to the author with accept / decline / spam links.
 * - MODIFY of a wish into 'written' with notifyWhenWritten → one mail to the wisher.
 * - INSERT of a confirmation request → the double opt-in mail to the reader (the one mail that
 *   goes to an address before it is confirmed).
 * Everything else in the stream (votes, counters, markers, unknown shapes) is skipped, not failed.
 *
 * Delivery is at least once per stream record, deduplicated by a marker per mail (see
 * notifier/deliver.ts); a record whose mail could not be sent is reported in batchItemFailures,
 * so Lambda retries it and, after the retry limit, sends it to the on-failure destination.
 * The comment or wish itself was stored long before: a failing mail never touches it.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../runtime/logger';
import { sendCommentMail, sendWishMail, sendWrittenMail } from './mails';
import { sendConfirmationMail } from './reader-mails';

export type Notification =
  | { type: 'comment'; item: Record<string, unknown> }
  | { type: 'wish'; item: Record<string, unknown> }
  | { type: 'written'; item: Record<string, unknown> }
  | { type: 'confirmation'; item: Record<string, unknown> };

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event?.Records ?? []) {
    const notification = classify(record);
    if (!notification) continue;
    try {
      await deliver(notification, new Date());
    } catch (error) {
      logger.error('notification failed', {
        type: notification.type,
        itemId: String(notification.item.id),
        errorName: (error as Error)?.name,
        // SES names the rejected addresses in its messages; the log keeps the reason, not them.
        errorMessage: String((error as Error)?.message ?? '').replace(
          /[^\s<>"'@]+@[^\s<>"'@]+/g,
          '[address]',
        ),
      });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' });
    }
  }
  return { batchItemFailures };
}

function deliver(notification: Notification, now: Date): Promise<unknown> {
  switch (notification.type) {
    case 'comment':
      return sendCommentMail(notification.item, now);
    case 'wish':
      return sendWishMail(notification.item, now);
    case 'written':
      return sendWrittenMail(notification.item, now);
    case 'confirmation':
      return sendConfirmationMail(notification.item, now);
  }
}

/** What a stream record asks for, or undefined for the records the notifier does not care about. */
export function classify(record: DynamoDBRecord): Notification | undefined {
  const newItem = image(record.dynamodb?.NewImage);
  if (!newItem || typeof newItem.id !== 'string') return undefined;
  const pk = typeof newItem.pk === 'string' ? newItem.pk : '';
  if (record.eventName === 'INSERT') {
    // An import of an old blog's comments must not flood the author's mailbox.
    if (newItem.importedFrom !== undefined) return undefined;
    if (newItem.kind === 'comment' && pk.startsWith('COMMENT#')) return { type: 'comment', item: newItem };
    if (newItem.kind === 'wish' && pk.startsWith('WISH#')) return { type: 'wish', item: newItem };
    if (newItem.kind === 'confirmation-request' && pk.startsWith('OPTIN#')) {
      return { type: 'confirmation', item: newItem };
    }
    return undefined;
  }
  if (record.eventName === 'MODIFY' && newItem.kind === 'wish' && pk.startsWith('WISH#')) {
    const oldItem = image(record.dynamodb?.OldImage);
    const becameWritten = oldItem?.status !== 'written' && newItem.status === 'written';
    if (becameWritten && newItem.notifyWhenWritten === true) return { type: 'written', item: newItem };
  }
  return undefined;
}

/** An image as a plain object; an image that is not valid DynamoDB JSON counts as "not ours". */
function image(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  try {
    return unmarshall(raw as never);
  } catch {
    return undefined;
  }
}
