/**
 * Conditional writes that travel together in one DynamoDB transaction, and what a cancelled
 * transaction says about each of them. The guards (rate counters, proof-of-work markers,
 * idempotency records) hand such writes to the store that writes the submission itself, so a
 * refused condition anywhere means nothing at all is written.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write whose condition may fail, and the error the reader then gets. */
export interface ConditionalWrite {
  item: TransactItem;
  refused: () => Error;
}

/** One reason code per item of a cancelled transaction ('None', 'ConditionalCheckFailed', …), else undefined. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if ((error as Error)?.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.map((reason) => reason.Code);
}

/** Another transaction held one of the items: the whole transaction can simply run again. */
export function isTransactionConflict(error: unknown): boolean {
  if ((error as Error)?.name === 'TransactionConflictException') return true;
  const codes = cancellationCodes(error);
  if (!codes) return false;
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

/**
 * Runs a write again when a concurrent transaction on the same item (a page counter, a rate
 * counter) made it conflict, with a short jittered pause. Other errors pass through at once.
 */
export async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= LIMITS.transactionAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

/**
 * The error for a cancelled transaction whose last items are `writes`, or undefined when none of
 * them was refused (then the caller's own items decide).
 */
export function refusalFor(error: unknown, writes: readonly ConditionalWrite[]): Error | undefined {
  const codes = cancellationCodes(error);
  if (!codes || writes.length === 0) return undefined;
  const index = codes.slice(codes.length - writes.length).indexOf('ConditionalCheckFailed');
  return index >= 0 ? writes[index]!.refused() : undefined;
}

/**
 * Runs a store write with `writes` appended to its transaction (retried on conflicts); a refused
 * one becomes its reader's error, any other error passes through.
 */
export async function commitWith<T>(
  writes: readonly ConditionalWrite[],
  write: (extraItems: TransactItem[]) => Promise<T>,
): Promise<T> {
  try {
    return await retryOnConflict(() => write(writes.map((conditional) => conditional.item)));
  } catch (error) {
    throw refusalFor(error, writes) ?? error;
  }
}
