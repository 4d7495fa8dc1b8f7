/**
 * An import started at the desk, kept between the requests that carry it out: one job item (where
 * it stands, what it counted) and its prepared comments as JSON in chunk items below DynamoDB's
 * 400 KB item limit. Everything expires by TTL, so an abandoned upload vanishes on its own.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../runtime/config';
import { documentClient } from '../runtime/dynamo';
import type { ImportRecord } from './imports';
import { keys } from './keys';

const table = () => config().tableName;

/** What a batch counts as it writes. */
export interface BatchCounts {
  imported: number;
  alreadyPresent: number;
  placeholders: number;
}

export interface ImportJob extends BatchCounts {
  jobId: string;
  source: 'wordpress' | 'disqus';
  /** Comments to write, and how many of them are done (the next batch starts there). */
  total: number;
  done: number;
  /** Index of the first record of each chunk. */
  chunkStarts: number[];
  /** Known when the file was read: skipped entries by reason, replies without parent, deleted ones dropped. */
  skipped: Record<string, number>;
  orphanReplies: number;
  droppedDeleted: number;
  pages: string[];
  pageCount: number;
  createdAt: string;
  expiresAt: number;
}

/** Chunks first, the job last: a job that can be read has all its chunks. */
export async function putImportJob(job: ImportJob, chunks: ImportRecord[][]): Promise<void> {
  for (const [index, records] of chunks.entries()) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.importChunk(job.jobId, index),
          kind: 'import-chunk',
          records: JSON.stringify(records),
          expiresAt: job.expiresAt,
        },
      }),
    );
  }
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.importJob(job.jobId), kind: 'import-job', ...job },
    }),
  );
}

export async function getImportJob(jobId: string): Promise<ImportJob | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.importJob(jobId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...job } = Item;
  return job as ImportJob;
}

export async function getImportChunk(jobId: string, index: number): Promise<ImportRecord[]> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.importChunk(jobId, index), ConsistentRead: true }),
  );
  return Item ? (JSON.parse(String(Item.records)) as ImportRecord[]) : [];
}

/**
 * Moves the job from `from` to `to` and adds what the batch counted, only if it still stands at
 * `from`: a repeated or parallel request for the same batch changes nothing (its writes found
 * every comment already there).
 */
export async function advanceImportJob(
  jobId: string,
  from: number,
  to: number,
  counts: BatchCounts,
): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.importJob(jobId),
        UpdateExpression: 'SET done = :to ADD imported :i, alreadyPresent :a, placeholders :p',
        ConditionExpression: 'done = :from',
        ExpressionAttributeValues: {
          ':from': from,
          ':to': to,
          ':i': counts.imported,
          ':a': counts.alreadyPresent,
          ':p': counts.placeholders,
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** A finished job keeps its summary (until the TTL); its chunks are not needed any more. */
export async function deleteImportChunks(jobId: string, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    await documentClient().send(
      new DeleteCommand({ TableName: table(), Key: keys.importChunk(jobId, index) }),
    );
  }
}
