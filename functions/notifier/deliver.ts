/**
 * Sending a mail once per item and purpose, although stream records can arrive more than once
 * (Lambda retries a failed record and everything after it in the shard).
 *
 * Strategy: claim → send → mark sent. The claim is a conditional put of the marker in state
 * 'sending' with a short lease; a second delivery finds the claim and does not send. A send that
 * SES answered with an error releases the claim (SES did not take the mail; the retry sends). An
 * ambiguous failure (timeout, lost connection: no answer, SES may have taken it) keeps the claim,
 * so the record's retries wait for the lease to run out instead of sending at once; this marker is
 * the idempotency guard SendEmail lacks, which is why the SES client itself never retries
 * (transport.ts). A crash after the claim likewise leaves a lease that a retry may take over once
 * it ran out. So no mail is lost while retries remain, and a duplicate needs a
 * crash in the instant between SES accepting the mail and the 'sent' mark — the one window no
 * scheme without an idempotent mail API can close. Send-then-mark alone would duplicate on every
 * concurrent delivery; mark-then-send alone would lose the mail on every failed send.
 */
import { LIMITS } from '../core/limits';
import type { BuiltMail } from '../core/mail/mime';
import { logger } from '../runtime/logger';
import { claimMail, markMailSent, releaseMail } from '../store/mail';
import { transport } from './transport';

export class MailInFlightError extends Error {
  constructor() {
    super('Another delivery is sending this mail right now; retry later.');
    this.name = 'MailInFlightError';
  }
}

/**
 * `owner` is the lookup hash of the reader's address when `mailId` is built from it (one mail per
 * address): the marker then carries it, so her erasure finds the marker through the reader index
 * and removes it with everything else under her address.
 */
export async function deliverOnce(
  mailId: string,
  now: Date,
  markerTtlSeconds: number | undefined,
  build: () => Promise<BuiltMail>,
  owner?: string,
): Promise<'sent' | 'skipped'> {
  // Built before the claim: a mail that cannot be built should not hold a claim.
  const mail = await build();
  const claim = await claimMail(mailId, now, LIMITS.notifier.claimLeaseSeconds, markerTtlSeconds, owner);
  if (!claim.claimed) {
    if (claim.state === 'sent') return 'skipped';
    throw new MailInFlightError();
  }
  try {
    await transport().send(mail);
  } catch (error) {
    if (ambiguous(error)) throw error;
    await releaseMail(mailId, claim.claimId).catch((releaseError: Error) =>
      logger.warn('could not release a mail claim', { mailId, errorName: releaseError.name }),
    );
    throw error;
  }
  try {
    await markMailSent(mailId, claim.claimId, new Date());
  } catch (error) {
    // The mail is out; failing the record now would only risk sending it again.
    logger.warn('mail sent but not marked', { mailId, errorName: (error as Error).name });
  }
  return 'sent';
}

/** No answer from the mail service: it may have taken the mail. An AWS error carries its status. */
export function ambiguous(error: unknown): boolean {
  const { $metadata, name } = error as { $metadata?: { httpStatusCode?: number }; name?: string };
  if ($metadata?.httpStatusCode) return false;
  return /Timeout|Abort|ECONNRESET|EPIPE|socket hang up|TimeoutError/i.test(
    `${name} ${(error as Error).message}`,
  );
}
