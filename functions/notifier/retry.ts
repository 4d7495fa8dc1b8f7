/**
 * Resending the kept failed mails (store/failed-mails.ts): the notifier's own sweep and her
 * "Resend now" at the desk (notifier/handler.ts), and `npm run admin -- mail-retry`, hand them to the
 * notifier again, as the stream records they came from, in stream-sized batches. The notifier
 * sends each mail at most once (its sent markers) and clears what went out, so running this twice
 * sends nothing twice. `invoke` is the notifier handler itself locally, and the deployed notifier
 * Lambda on AWS (bin/admin.ts), so a resend takes the very same path as the first attempt.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LIMITS } from '../core/limits';
import { type FailedMail, listFailedMails } from '../store/failed-mails';

export type InvokeNotifier = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface RetryResult {
  /** Notification ids handed to the notifier. */
  retried: string[];
  /** Those that failed again (still kept for the next run). */
  failed: string[];
}

/** How much one run may do: the notifier's own runs are bounded, the CLI's is not. */
export interface RetryBounds {
  /** Mails tried at most. */
  limit?: number;
  /** No mail is handed over after this time (epoch ms); the rest wait for the next run. */
  until?: number;
  /** Mails per notifier invocation (the stream's batch size for the deployed Lambda). */
  batchSize?: number;
}

/**
 * In a bounded run (the sweep's and the desk's) the mails tried longest ago go first, and a mail
 * that failed again moves to the back, so every kept mail gets its turn.
 */
export async function retryFailedMails(
  invoke: InvokeNotifier,
  { limit = Number.POSITIVE_INFINITY, until, batchSize = LIMITS.notifier.retryBatchSize }: RetryBounds = {},
): Promise<RetryResult> {
  const mails = (await listFailedMails())
    .sort((a, b) => a.lastFailedAt.localeCompare(b.lastFailedAt))
    .slice(0, limit);
  const result: RetryResult = { retried: [], failed: [] };
  for (let i = 0; i < mails.length; i += batchSize) {
    if (until !== undefined && Date.now() >= until) break;
    const batch = mails.slice(i, i + batchSize);
    const response = await invoke({ Records: batch.map(asStreamRecord) });
    const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    for (const mail of batch) {
      result.retried.push(mail.notificationId);
      if (failed.has(mail.notificationId)) result.failed.push(mail.notificationId);
    }
  }
  return result;
}

/** The record as the stream delivered it; the notification id stands in for the sequence number. */
function asStreamRecord(mail: FailedMail): DynamoDBRecord {
  return {
    eventID: mail.notificationId,
    eventName: mail.record.eventName as DynamoDBRecord['eventName'],
    eventSource: 'leserpost:mail-retry',
    dynamodb: { NewImage: mail.record.NewImage as never, SequenceNumber: mail.notificationId },
  };
}
