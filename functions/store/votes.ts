/**
 * Votes for wishes. A vote is an item of its own (keyed by the wish and a keyed hash of the voter),
 * and the wish's counter changes only in the same transaction that puts or deletes that item, so
 * the count is always the number of vote items: double votes and double unvotes fail cleanly.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../core/limits';
import { PUBLIC_WISH_STATUSES } from '../core/wish-statuses';
import { documentClient } from '../runtime/dynamo';
import { keys } from './keys';
import { cancellationCodes, type TransactItem } from './transact';
import { backoff, itemsUnder, mergeTargetCheck, statusCondition, table } from './wishes';

export type VoteChange =
  | { outcome: 'done'; votes: number }
  | { outcome: 'already_voted' | 'not_voted' | 'wish_not_found' | 'busy' };

/**
 * A voter's wish for the one mail when the wish is written, kept on her vote item (sealed address,
 * lookup hash, language, time): the reader index finds it for export and erasure, and taking the
 * vote back takes it away.
 */
export interface VoteOptIn {
  emailEnc: string;
  emailHash: string;
  lang: string;
  createdAt: string;
}

const optInAttributes = ({ emailEnc, emailHash, lang, createdAt }: VoteOptIn) => ({
  emailEnc,
  emailHash,
  lang,
  createdAt,
  notifyWhenWritten: true,
});

/** The update that puts these opt-in attributes on a vote item (key and condition are the caller's). */
function optInUpdate(attributes: ReturnType<typeof optInAttributes>) {
  const names = Object.keys(attributes);
  return {
    TableName: table(),
    UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(
      names.map((name, i) => [`:a${i}`, attributes[name as keyof typeof attributes]]),
    ),
  };
}

/**
 * Adds (+1) or takes back (-1) one voter's vote for a public wish. `extraItems` (e.g. a rate
 * counter) commit in the same transaction; when one of their conditions fails the error is rethrown.
 */
export async function changeVote(
  wishId: string,
  voterHash: string,
  delta: 1 | -1,
  extraItems: TransactItem[] = [],
  optIn?: VoteOptIn,
): Promise<VoteChange> {
  const voteKey = keys.vote(wishId, voterHash);
  const voteItem: TransactItem =
    delta === 1
      ? {
          Put: {
            TableName: table(),
            Item: { ...voteKey, kind: 'vote', wishId, voterHash, ...(optIn ? optInAttributes(optIn) : {}) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }
      : { Delete: { TableName: table(), Key: voteKey, ConditionExpression: 'attribute_exists(pk)' } };
  const onlyPublic = statusCondition(PUBLIC_WISH_STATUSES);
  const counter: TransactItem = {
    Update: {
      TableName: table(),
      Key: keys.wish(wishId),
      UpdateExpression: 'ADD votes :delta',
      ...onlyPublic,
      ExpressionAttributeValues: { ...onlyPublic.ExpressionAttributeValues, ':delta': delta },
    },
  };
  for (let attempt = 0; attempt < LIMITS.wish.voteAttempts; attempt++) {
    try {
      await documentClient().send(
        new TransactWriteCommand({ TransactItems: [voteItem, counter, ...extraItems] }),
      );
      return { outcome: 'done', votes: await voteCount(wishId) };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes || codes.slice(2).includes('ConditionalCheckFailed')) throw error;
      // The wish decides first: a vote for a wish that is not on the board is simply not found.
      if (codes[1] === 'ConditionalCheckFailed') return { outcome: 'wish_not_found' };
      if (codes[0] === 'ConditionalCheckFailed') {
        return { outcome: delta === 1 ? 'already_voted' : 'not_voted' };
      }
      // Another vote for the same wish was committing at the same moment: try again shortly.
      if (!codes.includes('TransactionConflict')) throw error;
      await backoff(attempt);
    }
  }
  return { outcome: 'busy' };
}

/**
 * Adds her address to the vote she already has on an open wish (accepted or planned), with `extraItems`
 * (the guard's writes) in the same transaction.
 */
export async function addVoteOptIn(
  wishId: string,
  voterHash: string,
  optIn: VoteOptIn,
  extraItems: TransactItem[] = [],
): Promise<VoteChange> {
  const open = statusCondition(['accepted', 'planned']);
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              ...optInUpdate(optInAttributes(optIn)),
              Key: keys.vote(wishId, voterHash),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { ConditionCheck: { TableName: table(), Key: keys.wish(wishId), ...open } },
          ...extraItems,
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes || codes.slice(2).includes('ConditionalCheckFailed')) throw error;
    if (codes[1] === 'ConditionalCheckFailed') return { outcome: 'wish_not_found' };
    if (codes[0] === 'ConditionalCheckFailed') return { outcome: 'not_voted' };
    throw error;
  }
  return { outcome: 'done', votes: await voteCount(wishId) };
}

/** The votes of a wish whose voters asked for the mail when it is written, page by page. */
export function votesWithOptIn(wishId: string): AsyncGenerator<Record<string, unknown>> {
  return itemsUnder(keys.vote(wishId, ''), {
    FilterExpression: 'notifyWhenWritten = :yes',
    ExpressionAttributeValues: { ':yes': true },
  });
}

/**
 * The unsubscribe link of a voter's mail names this pointer (links name item ids, never an
 * address); it leads to her vote and expires with the link.
 */
export async function putVoteMailPointer(
  id: string,
  vote: { wishId: string; voterHash: string },
  expiresAt: number,
): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.voteMail(id), kind: 'vote-mail', ...vote, expiresAt },
    }),
  );
}

/** The vote a voter's mail was about, if the pointer and the vote are still there. */
export async function voteOfMail(id: string): Promise<Record<string, unknown> | undefined> {
  const pointer = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.voteMail(id), ConsistentRead: true }),
  );
  if (!pointer.Item) return undefined;
  const vote = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: keys.vote(String(pointer.Item.wishId), String(pointer.Item.voterHash)),
      ConsistentRead: true,
    }),
  );
  return vote.Item;
}

async function voteCount(wishId: string): Promise<number> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: keys.wish(wishId),
      ProjectionExpression: 'votes',
      ConsistentRead: true,
    }),
  );
  return Number(result.Item?.votes ?? 0);
}

/**
 * Moves every vote of the duplicate to the original, a bounded chunk per transaction: each vote
 * item is deleted from the duplicate and put on the original unless that voter already voted
 * there (then only checked), and both counters change by what moved. Every chunk commits whole,
 * so a crash leaves counts that match the votes, and running it again moves what is left.
 */
export async function moveVotes(
  duplicateId: string,
  originalId: string,
): Promise<
  { outcome: 'done'; moved: number; shared: number } | { outcome: 'original_gone' } | { outcome: 'busy' }
> {
  const { pk, sk: votePrefix } = keys.vote(duplicateId, '');
  let moved = 0;
  let shared = 0;
  for (let failures = 0; failures < LIMITS.wish.voteAttempts; ) {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': votePrefix },
        ConsistentRead: true,
        Limit: LIMITS.wish.mergeVotesPerTransaction,
      }),
    );
    const voters = (page.Items ?? []).map((item) => String(item.voterHash));
    // A voter's wish for the written mail moves with her vote.
    const optIns = new Map(
      (page.Items ?? []).flatMap((item) =>
        item.notifyWhenWritten === true
          ? [[String(item.voterHash), optInAttributes(item as unknown as VoteOptIn)] as const]
          : [],
      ),
    );
    if (voters.length === 0) return { outcome: 'done', moved, shared };
    // Her vote on the original, and whether she asked for the mail with it.
    const alreadyThere = await votersOf(originalId, voters);
    const moving = voters.filter((voter) => !alreadyThere.has(voter));
    const target = mergeTargetCheck(originalId);
    const items: TransactItem[] = [
      moving.length > 0
        ? {
            Update: {
              ...target,
              UpdateExpression: 'ADD votes :moved',
              ExpressionAttributeValues: { ...target.ExpressionAttributeValues, ':moved': moving.length },
            },
          }
        : { ConditionCheck: target },
      {
        Update: {
          TableName: table(),
          Key: keys.wish(duplicateId),
          UpdateExpression: 'ADD votes :removed',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':removed': -voters.length },
        },
      },
    ];
    for (const voter of voters) {
      items.push({
        Delete: {
          TableName: table(),
          Key: keys.vote(duplicateId, voter),
          ConditionExpression: 'attribute_exists(pk)',
        },
      });
      const carried = optIns.get(voter);
      items.push(
        alreadyThere.has(voter)
          ? // The voter must still have her vote on the original, or her vote would vanish.
            carried && alreadyThere.get(voter) === 'no-opt-in'
            ? {
                // Her wish for the mail, given only with the duplicate's vote, stays with her.
                Update: {
                  ...optInUpdate(carried),
                  Key: keys.vote(originalId, voter),
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifyWhenWritten)',
                },
              }
            : {
                ConditionCheck: {
                  TableName: table(),
                  Key: keys.vote(originalId, voter),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              }
          : {
              Put: {
                TableName: table(),
                Item: {
                  ...keys.vote(originalId, voter),
                  kind: 'vote',
                  wishId: originalId,
                  voterHash: voter,
                  ...carried,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
      );
    }
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
      moved += moving.length;
      shared += voters.length - moving.length;
      failures = 0;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return { outcome: 'original_gone' };
      // A voter voted or unvoted on the original meanwhile: read the chunk again.
      failures++;
      await backoff(failures);
    }
  }
  return { outcome: 'busy' };
}

/**
 * Which of these voters have a vote on the wish (one BatchGetItem of up to 100 keys), and whether
 * it says anything about the "written" mail (asked for it, or unsubscribed: `notifyWhenWritten`).
 */
async function votersOf(
  wishId: string,
  voters: readonly string[],
): Promise<Map<string, 'opt-in-set' | 'no-opt-in'>> {
  const found = new Map<string, 'opt-in-set' | 'no-opt-in'>();
  let request: Record<string, unknown> | undefined = {
    [table()]: {
      Keys: voters.map((voter) => keys.vote(wishId, voter)),
      ProjectionExpression: 'voterHash, notifyWhenWritten',
      ConsistentRead: true,
    },
  };
  for (let attempt = 0; request; attempt++) {
    if (attempt >= LIMITS.wish.voteAttempts)
      throw new Error('Could not read the votes of the original wish.');
    if (attempt > 0) await backoff(attempt);
    const result: BatchGetCommandOutput = await documentClient().send(
      new BatchGetCommand({ RequestItems: request as never }),
    );
    for (const item of result.Responses?.[table()] ?? [])
      found.set(String(item.voterHash), item.notifyWhenWritten === undefined ? 'no-opt-in' : 'opt-in-set');
    request =
      result.UnprocessedKeys && Object.keys(result.UnprocessedKeys).length > 0
        ? result.UnprocessedKeys
        : undefined;
  }
  return found;
}
