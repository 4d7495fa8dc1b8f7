/**
 * Bench-only seeding: thousands of approved comments written with BatchWriteItem, far faster
 * than posting each through the API. Items are shaped like store/comments.ts putComment writes
 * them, and every key comes from the store's key module, never written by hand here.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { config } from '../functions/runtime/config';
import { documentClient } from '../functions/runtime/dynamo';
import { indexKeys, keys } from '../functions/store/keys';

const BATCH = 25;
const PARALLEL = 4;
/** ULIDs like core/ids.ts makes, but dated: the seeded thread spans the past hours. */
const datedId = monotonicFactory();

function approvedComment(page: string, n: number, createdAt: Date): Record<string, unknown> {
  const id = datedId(createdAt.getTime());
  return {
    ...keys.comment(id),
    kind: 'comment',
    id,
    page,
    parentId: null,
    name: `Leserin ${n}`,
    text: `Kommentar Nummer ${n}: danke für diesen Beitrag, er hat mir beim Newsletter sehr geholfen.`,
    status: 'approved',
    createdAt: createdAt.toISOString(),
    emailEnc: 'bench-seeded',
    emailHash: `bench-${n}`,
    lang: 'de',
    visibleReplies: 0,
    ...indexKeys.moderationQueue('comment', 'approved', id),
    ...indexKeys.visibleComment(page, id),
  };
}

async function batchWrite(items: Record<string, unknown>[]): Promise<void> {
  const table = config().tableName;
  let pending: Record<string, unknown>[] = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 8) throw new Error('BatchWrite kept returning unprocessed items.');
    const result = await documentClient().send(
      new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
    );
    pending = (result.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
    if (pending.length) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
  }
}

/** Seeds `count` approved comments on `page` plus the page's visible-comment counter. */
export async function seedComments(page: string, count: number, text?: (n: number) => string): Promise<void> {
  const start = Date.now() - count * 1000;
  const items = Array.from({ length: count }, (_, n) => {
    const item = approvedComment(page, n, new Date(start + n * 1000));
    if (text) item.text = text(n);
    return item;
  });
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const workers = Array.from({ length: PARALLEL }, async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) await batchWrite(batch);
  });
  await Promise.all(workers);
  await batchWrite([{ ...keys.pageCounter(page), page, count }]);
}
