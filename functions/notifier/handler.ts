/**
 * The notifier Lambda: a DynamoDB Streams batch handler with partial batch responses.
 * - INSERT of a comment → mail to the author with one-click links (approve, compliment, spam, delete).
 * - INSERT of a wish → mail to the author with accept / decline / spam links.
 * - MODIFY of a wish into 'written' → one mail each to the wisher and every voter who asked for it
 *   and confirmed (one per address).
 * - A reply becoming visible → its parent's writer (opted in, confirmed; digest within the hour);
 *   her held comment approved → a short mail to her (opted in, confirmed).
 * - The schedule's DIGEST_SWEEP_EVENT → the due reply digests, then the kept failed mails resent
 *   (a bounded number per run, retry.ts), through this very handler.
 * - INSERT of a resend request (her "Resend now" at the desk) → the same resend.
 * - INSERT of a confirmation request → the double opt-in mail to the reader (the one mail that
 *   goes to an address before it is confirmed).
 * - INSERT of a "Meine Daten" request → the mail with her data link (data-mails.ts).
 * - INSERT of an erasure notice → the author's mail that an erasure happened (counts, no address).
 * - INSERT of a held-edit notice → the author's mail about an approved comment that the reader's
 *   edit sent back to moderation (once per edit).
 * Everything else in the stream (votes, counters, markers, unknown shapes) is skipped, not failed.
 *
 * Delivery is at least once per stream record, deduplicated by a marker per mail (see
 * notifier/deliver.ts); a record whose mail could not be sent is reported in batchItemFailures,
 * so Lambda retries it and, after the retry limit, sends it to the on-failure destination. Its
 * stream image is also kept in the table until the mail goes out (store/failed-mails.ts): the
 * failure queue holds only a pointer into a stream that forgets after 24 hours.
 * The comment or wish itself was stored long before: a failing mail never touches it.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LIMITS } from '../core/limits';
import { logger } from '../runtime/logger';
import { forgetFailedMail, keepFailedMail } from '../store/failed-mails';
import { sendDataLinkMail, sendErasureMail } from './data-mails';
import { MailInFlightError } from './deliver';
import { sendCommentMail, sendHeldEditMail, sendWishMail } from './mails';
import {
  notifyApproved,
  notifyReply,
  notifyWritten,
  readerNotifications,
  sendConfirmationMail,
  sweepDigests,
} from './reader-mails';
import { retryFailedMails } from './retry';
import { DIGEST_SWEEP_EVENT } from './sweep-event';

export type Notification =
  | { type: 'comment'; item: Record<string, unknown> }
  | { type: 'wish'; item: Record<string, unknown> }
  | { type: 'written'; item: Record<string, unknown> }
  | { type: 'confirmation'; item: Record<string, unknown> }
  | { type: 'reply'; item: Record<string, unknown> }
  | { type: 'approved'; item: Record<string, unknown> }
  | { type: 'data-link'; item: Record<string, unknown> }
  | { type: 'erasure'; item: Record<string, unknown> }
  | { type: 'held-edit'; item: Record<string, unknown> };

export async function handler(
  event: DynamoDBStreamEvent | typeof DIGEST_SWEEP_EVENT,
): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  if ((event as { source?: string })?.source === DIGEST_SWEEP_EVENT.source) {
    const started = Date.now();
    const sent = await sweepDigests(new Date());
    logger.info('digest sweep', { sent });
    await resendKeptMails('sweep', started);
    return { batchItemFailures };
  }
  const started = Date.now();
  let resendAsked = false;
  for (const record of (event as DynamoDBStreamEvent)?.Records ?? []) {
    if (isResendRequest(record)) {
      resendAsked = true;
      continue;
    }
    const notifications = [classify(record), ...readerNotifications(record)].filter(
      (found): found is Notification => found !== undefined,
    );
    for (const notification of notifications) {
      if (await failsToDeliver(notification, record)) {
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' });
        break;
      }
    }
  }
  // Several presses in one batch: one resend.
  if (resendAsked) await resendKeptMails('desk', started);
  return { batchItemFailures };
}

/**
 * The kept failed mails, through this handler as mail-retry does; a bounded number per run, one
 * attempt each, one at a time, and none started once the run's time is used up (so a hanging SES
 * cannot time the Lambda out, which would run the sweep again). A mail still failing stays kept
 * (with its reason), one whose claim is leased too; a run that cannot read them is logged and left
 * to the next sweep, never retried at once.
 */
async function resendKeptMails(cause: 'sweep' | 'desk', started: number): Promise<void> {
  try {
    const result = await retryFailedMails(handler, {
      limit: LIMITS.notifier.resendPerSweep,
      until: started + LIMITS.notifier.resendSecondsPerSweep * 1000,
      batchSize: 1,
    });
    if (result.retried.length > 0)
      logger.info('failed mails resent', {
        cause,
        tried: result.retried.length,
        failed: result.failed.length,
      });
  } catch (error) {
    logger.error('could not resend the failed mails', { cause, errorName: (error as Error)?.name });
  }
}

/** Her "Resend now" at the desk (store/failed-mails.ts requestMailResend). */
export function isResendRequest(record: DynamoDBRecord): boolean {
  if (record.eventName !== 'INSERT') return false;
  const item = streamImage(record.dynamodb?.NewImage);
  return item?.kind === 'mail-resend-request' && String(item.pk).startsWith('MAILRESEND#');
}

/**
 * Delivers one notification; true when it failed (the record is then retried whole, and each mail
 * already sent is skipped by its own marker).
 */
async function failsToDeliver(notification: Notification, record: DynamoDBRecord): Promise<boolean> {
  const notificationId = `${notification.type}#${String(notification.item.id)}`;
  try {
    await deliver(notification, new Date());
    await forgetFailedMail(notificationId).catch((error: Error) =>
      logger.warn('could not clear a failed mail', { notificationId, errorName: error.name }),
    );
    return false;
  } catch (error) {
    logger.error('notification failed', {
      type: notification.type,
      itemId: String(notification.item.id),
      errorName: (error as Error)?.name,
      // SES names the rejected addresses in its messages; the log keeps the reason, not them.
      errorMessage: String((error as Error)?.message ?? '').replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '[address]'),
    });
    // Kept beyond the stream's 24 hours, so the sweep (or the desk, or mail-retry) sends it later.
    await keepFailedMail(
      notificationId,
      { eventName: String(record.eventName), NewImage: record.dynamodb?.NewImage as Record<string, unknown> },
      (error as Error)?.name ?? 'Error',
      new Date(),
      error instanceof MailInFlightError,
    ).catch((keepError: Error) =>
      logger.error('could not keep a failed mail', { notificationId, errorName: keepError.name }),
    );
    return true;
  }
}

function deliver(notification: Notification, now: Date): Promise<unknown> {
  switch (notification.type) {
    case 'comment':
      return sendCommentMail(notification.item, now);
    case 'wish':
      return sendWishMail(notification.item, now);
    case 'written':
      return notifyWritten(notification.item, now);
    case 'confirmation':
      return sendConfirmationMail(notification.item, now);
    case 'reply':
      return notifyReply(notification.item, now);
    case 'approved':
      return notifyApproved(notification.item, now);
    case 'data-link':
      return sendDataLinkMail(notification.item, now);
    case 'erasure':
      return sendErasureMail(notification.item, now);
    case 'held-edit':
      return sendHeldEditMail(notification.item, now);
  }
}

/** What a stream record asks for, or undefined for the records the notifier does not care about. */
export function classify(record: DynamoDBRecord): Notification | undefined {
  const newItem = streamImage(record.dynamodb?.NewImage);
  if (!newItem || typeof newItem.id !== 'string') return undefined;
  const pk = typeof newItem.pk === 'string' ? newItem.pk : '';
  if (record.eventName === 'INSERT') {
    // An import of an old blog's comments must not flood the author's mailbox.
    if (newItem.importedFrom !== undefined) return undefined;
    // Her own reply from the desk needs no mail to her.
    if (newItem.kind === 'comment' && pk.startsWith('COMMENT#') && newItem.byAuthor !== true)
      return { type: 'comment', item: newItem };
    if (newItem.kind === 'wish' && pk.startsWith('WISH#')) return { type: 'wish', item: newItem };
    if (newItem.kind === 'confirmation-request' && pk.startsWith('OPTIN#')) {
      return { type: 'confirmation', item: newItem };
    }
    if (newItem.kind === 'data-request' && pk.startsWith('DATAREQ#'))
      return { type: 'data-link', item: newItem };
    if (newItem.kind === 'erasure' && pk.startsWith('ERASURE#')) return { type: 'erasure', item: newItem };
    if (newItem.kind === 'held-edit' && pk.startsWith('HELDEDIT#'))
      return { type: 'held-edit', item: newItem };
    return undefined;
  }
  if (record.eventName === 'MODIFY' && newItem.kind === 'wish' && pk.startsWith('WISH#')) {
    const oldItem = streamImage(record.dynamodb?.OldImage);
    const becameWritten = oldItem?.status !== 'written' && newItem.status === 'written';
    // The wisher or any voter may have asked for the mail: notifyWritten looks at both.
    if (becameWritten) return { type: 'written', item: newItem };
  }
  return undefined;
}

/** An image as a plain object; an image that is not valid DynamoDB JSON counts as "not ours". */
export function streamImage(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  try {
    return unmarshall(raw as never);
  } catch {
    return undefined;
  }
}
