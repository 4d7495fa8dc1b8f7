/**
 * What happens to a reader's topic wish, independent of HTTP: readers submit and vote; the author
 * (by signed link or the command line) accepts, plans, marks written, declines, or merges a
 * duplicate into another wish.
 */
import { newId } from '../core/ids';
import { clientIpHash, editKeyHash, keyedHash } from '../core/privacy';
import type { CastVoteInput, NewWishInput, PublicWish } from '../core/schemas';
import { sealEmail } from '../runtime/email-keys';
import { hashKeys, lookupHashOf } from '../runtime/keys';
import { commitWith } from '../store/transact';
import { addVoteOptIn, changeVote, type VoteOptIn } from '../store/votes';
import { type NewWishRecord, putWish, toPublicWish } from '../store/wishes';
import { askForConfirmation } from './confirmations';
import { DomainError } from './errors';
import { guardSubmission, type SubmissionContext, submissionWrites } from './guard';

export type WishContext = SubmissionContext;

/** A new wish starts `new`: private, in the author's queue, not on the board. */
export async function submitWish(
  input: NewWishInput,
  context: WishContext,
): Promise<{ wish: PublicWish; visible: false }> {
  // Bots are refused and rate limits checked before anything is written (usecases/guard.ts).
  const guard = await guardSubmission({
    kind: 'wish',
    fields: input,
    sourceIp: context.sourceIp,
    content: {
      body: [input.topic, input.details ?? ''].join('\n'),
      others: [input.displayName],
      akismet: {
        type: 'contact-form',
        content: [input.topic, input.details ?? ''].join('\n\n'),
        author: input.displayName,
        userAgent: context.userAgent,
        lang: context.lang,
      },
    },
    now: context.now,
  });
  const keys = await hashKeys();
  const record: NewWishRecord = {
    id: newId(),
    topic: input.topic,
    details: input.details,
    publicName: input.showName ? input.displayName : undefined,
    requesterName: input.displayName,
    emailEnc: await sealEmail(input.email),
    emailHash: await lookupHashOf(input.email),
    notifyWhenWritten: input.notifyWhenWritten === true,
    status: 'new',
    votes: 0,
    createdAt: context.now.toISOString(),
    lang: context.lang,
    ipHash: context.sourceIp ? clientIpHash(context.sourceIp, keys.clientIp, context.now) : undefined,
    ...(guard.holdReasons.length ? { holdReasons: guard.holdReasons } : {}),
    // Hashed like a comment's edit key: her browser asks with it what became of the wish.
    ...(input.wishKey ? { wishKeyHash: editKeyHash(input.wishKey, keys.editKeys) } : {}),
  };
  const result = { wish: toPublicWish(record), visible: false as const };
  // The wish, the rate counter, the proof-of-work marker and the stored response: all or nothing.
  await commitWith(submissionWrites(guard, context, { status: 201, body: result }), (items) =>
    putWish(record, items),
  );
  if (record.notifyWhenWritten) {
    const { emailHash, emailEnc, lang } = record;
    await askForConfirmation(
      { emailHash, emailEnc, lang, purpose: 'written', sourceIp: context.sourceIp },
      context.now,
    );
  }
  return result;
}

export interface VoteResult {
  wishId: string;
  votes: number;
  voted: boolean;
}

/**
 * `pow`: the solved proof of work (GET /guard), checked when that guard is on. With
 * `notifyWhenWritten` and `email` the vote keeps her sealed address for the one mail when the wish
 * is written, and a confirmation mail asks her first (double opt-in). A voter who already voted
 * may send that again to add the address (same guards). The answer is the same whether the
 * address is known, confirmed or limited.
 */
export async function castVote(
  wishId: string,
  input: Pick<CastVoteInput, 'voterId' | 'pow' | 'email' | 'notifyWhenWritten'>,
  context: WishContext,
): Promise<VoteResult> {
  const optIn: VoteOptIn | undefined =
    input.notifyWhenWritten && input.email
      ? {
          emailEnc: await sealEmail(input.email),
          emailHash: await lookupHashOf(input.email),
          lang: context.lang,
          createdAt: context.now.toISOString(),
        }
      : undefined;
  const result = await changeVoteOf(wishId, input.voterId, 1, context, { pow: input.pow }, optIn);
  if (optIn) {
    const { emailHash, emailEnc, lang } = optIn;
    await askForConfirmation(
      { emailHash, emailEnc, lang, purpose: 'vote', sourceIp: context.sourceIp },
      context.now,
    );
  }
  return result;
}

export function withdrawVote(wishId: string, voterId: string, context: Omit<WishContext, 'lang'>) {
  return changeVoteOf(wishId, voterId, -1, context);
}

async function changeVoteOf(
  wishId: string,
  voterId: string,
  delta: 1 | -1,
  context: Omit<WishContext, 'lang'>,
  fields?: { pow?: string },
  optIn?: VoteOptIn,
): Promise<VoteResult> {
  // The per-IP and per-wish vote limits count in the vote's own transaction: a refused vote
  // counts nothing. Taking a vote back needs no proof of work (it adds nothing).
  const guard = await guardSubmission({
    kind: 'vote',
    fields,
    sourceIp: context.sourceIp,
    wishId,
    now: context.now,
  });
  const hash = voterHash(voterId, (await hashKeys()).voterIds);
  let result = await commitWith(guard.writes, (items) => changeVote(wishId, hash, delta, items, optIn));
  // Her vote is there already: the address joins it.
  if (result.outcome === 'already_voted' && optIn)
    result = await commitWith(guard.writes, (items) => addVoteOptIn(wishId, hash, optIn, items));
  switch (result.outcome) {
    case 'done':
      return { wishId, votes: result.votes, voted: delta === 1 };
    case 'wish_not_found':
      throw new DomainError('wish_not_found');
    case 'already_voted':
    case 'not_voted':
      throw new DomainError(result.outcome);
    case 'busy':
      throw new DomainError('busy', [], 1);
  }
}

/**
 * The stored stand-in for a browser's voter id: a keyed hash under a key of its own, so the id
 * never sits in the table and the hash matches nothing else there. It does not include the wish,
 * because merging must recognise a voter who voted for both wishes (she then counts once).
 */
export function voterHash(voterId: string, key: Buffer): string {
  return keyedHash(voterId, key);
}

// The author's actions on a wish (accept … merge) are in wish-actions.ts: the moderation group
// needs them without the reader's side (sealing, guards, votes). Re-exported for older callers.
export {
  applyWishAction,
  type MergeResult,
  mergeWishes,
  nextWishStatus,
  WISH_ACTIONS,
  type WishAction,
  type WishActionProblem,
  type WishActionResult,
} from './wish-actions';
