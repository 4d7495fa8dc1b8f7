/**
 * The local stand-in for Lambda's DynamoDB Streams event source mapping: reads the real stream of
 * DynamoDB Local, hands the records to the very notifier handler Lambda runs (in the Lambda event
 * shape), retries the records it reports in batchItemFailures a bounded number of times, and then
 * writes each to a failure folder, as the on-failure destination (an SQS queue) does on AWS.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LIMITS } from '../functions/core/limits';
import { isServiceUnavailable } from '../functions/http/unavailable';
import { handler as notifier } from '../functions/notifier/handler';
import { DIGEST_SWEEP_EVENT } from '../functions/notifier/sweep-event';
import { localClient } from './dynamo-local';
import { wakeableSleep } from './wakeable-sleep';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  /** LATEST for `npm start` (only what happens from now on), TRIM_HORIZON for tests (everything). */
  startAt: 'LATEST' | 'TRIM_HORIZON';
  /** Where records land after the last retry failed. */
  failureDir: string;
  handler?: StreamHandler;
  maxRetries?: number;
  pollIntervalMs?: number;
  retryDelayMs?: number;
  /** Called after each handler invocation (tests and the dev console watch retries with it). */
  onInvoke?: (info: { attempt: number; records: number; failed: number }) => void;
  onError?: (error: Error) => void;
  /** DynamoDB Local stopped answering: called once per outage (the poller then backs off). */
  onOutage?: (error: Error) => void;
  /** It answers again: called once, after onOutage. */
  onRecovery?: () => void;
}

export interface StreamPoller {
  stop: () => Promise<void>;
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const handler = options.handler ?? (notifier as StreamHandler);
  const maxRetries = options.maxRetries ?? LIMITS.notifier.maxRetries;
  const pollIntervalMs = options.pollIntervalMs ?? LIMITS.notifier.pollIntervalMs;
  const retryDelayMs = options.retryDelayMs ?? LIMITS.notifier.retryDelayMs;
  const region = 'eu-central-1';
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tables = localClient(options.endpoint);
  const table = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
  tables.destroy();
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`The table ${options.tableName} has no stream.`);

  /** Open iterators by shard; a shard that ended is remembered so it is not read again. */
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  /** The last record read per shard, to pick up there when an iterator has to be renewed. */
  const lastSequence = new Map<string, string>();
  /** Where a shard is read from when nothing of it was read yet. */
  const startType = new Map<string, 'LATEST' | 'TRIM_HORIZON'>();
  let stopped = false;
  const { sleep, wake } = wakeableSleep();

  async function discoverShards(first: boolean): Promise<void> {
    let start: string | undefined;
    do {
      const page = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) {
        const shardId = shard.ShardId!;
        if (iterators.has(shardId) || finished.has(shardId)) continue;
        const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
        // At a LATEST start, history in closed shards is not ours to deliver.
        if (first && options.startAt === 'LATEST' && closed) {
          finished.add(shardId);
          continue;
        }
        // Shards that appear later are new: read them from their beginning.
        if (!startType.has(shardId)) startType.set(shardId, first ? options.startAt : 'TRIM_HORIZON');
        const iterator = await renewIterator(shardId);
        if (iterator) iterators.set(shardId, iterator);
      }
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /**
   * A fresh iterator for a shard: after the last record read, or where the shard is to be read
   * from. Needed at the start, when an iterator expired (after 15 minutes unused), and when DynamoDB
   * Local reports an iterator as trimmed.
   */
  async function renewIterator(shardId: string): Promise<string | undefined> {
    const last = lastSequence.get(shardId);
    const result = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(last
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last }
          : { ShardIteratorType: startType.get(shardId) ?? 'TRIM_HORIZON' }),
      }),
    );
    return result.ShardIterator;
  }

  /** Invokes the handler as Lambda would, retrying only the failed records, then gives up on them. */
  async function deliver(shardId: string, records: DynamoDBRecord[]): Promise<void> {
    let pending = records;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let failedIds: Set<string> | 'all';
      try {
        const response = await handler({ Records: pending });
        const ids = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
        const known = new Set(pending.map((record) => record.dynamodb?.SequenceNumber));
        // As on Lambda: an identifier that names no record of the batch fails the whole batch.
        failedIds = ids.some((id) => !id || !known.has(id)) ? 'all' : new Set(ids);
      } catch (error) {
        options.onError?.(error as Error);
        failedIds = 'all';
      }
      const failed =
        failedIds === 'all'
          ? pending
          : pending.filter((record) => (failedIds as Set<string>).has(record.dynamodb!.SequenceNumber!));
      options.onInvoke?.({ attempt, records: pending.length, failed: failed.length });
      if (failed.length === 0) return;
      if (attempt > maxRetries) {
        for (const record of failed) writeFailure(shardId, record, attempt);
        return;
      }
      await sleep(retryDelayMs * 2 ** (attempt - 1));
      // Stopping mid-retry drops the rest: the data is in the table, only this mail is not sent.
      if (stopped) return;
      pending = failed;
    }
  }

  function writeFailure(shardId: string, record: DynamoDBRecord, attempts: number): void {
    mkdirSync(options.failureDir, { recursive: true });
    const now = new Date();
    const sequence = record.dynamodb?.SequenceNumber ?? randomUUID();
    const arrival = new Date((record.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    // The shape of Lambda's on-failure record for stream sources; AWS sends only these pointers,
    // locally the record itself is kept too, so it can be read and replayed by hand.
    const body = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: 'local:leserpost-notifier',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'PartialBatchFailure' },
      version: '1.0',
      timestamp: now.toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: sequence,
        endSequenceNumber: sequence,
        approximateArrivalOfFirstRecord: arrival,
        approximateArrivalOfLastRecord: arrival,
        batchSize: 1,
        streamArn,
      },
      record,
    };
    const name = `${now.toISOString().replace(/:/g, '-')}-${sequence}.json`;
    writeFileSync(join(options.failureDir, name), `${JSON.stringify(body, null, 2)}\n`);
  }

  async function pollOnce(): Promise<void> {
    for (const [shardId, iterator] of [...iterators]) {
      if (stopped) return;
      let page: GetRecordsCommandOutput;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      } catch (error) {
        const name = (error as Error).name;
        if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
        const renewed = await renewIterator(shardId);
        if (renewed) iterators.set(shardId, renewed);
        continue;
      }
      const read = page.Records ?? [];
      const lastRead = read.at(-1)?.dynamodb?.SequenceNumber;
      if (lastRead) lastSequence.set(shardId, lastRead);
      const records = read.map((record) => toLambdaRecord(record, streamArn!));
      if (records.length > 0) await deliver(shardId, records);
      if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
      else {
        iterators.delete(shardId);
        finished.add(shardId);
      }
    }
  }

  await discoverShards(true);
  // Read once right away: DynamoDB Local reports an iterator that was taken on an empty shard and
  // first used after a write as "trimmed"; one that was used before the write works.
  await pollOnce();
  const { outageRetryFirstMs, outageRetryMaxMs } = LIMITS.local;
  // As the schedule on AWS: the notifier's sweep every few minutes, the reply digests and the kept
  // failed mails resent (default notifier only).
  let lastSweep = Date.now();
  const sweepMs = LIMITS.readers.digestSweepMinutes * 60_000;
  const loop = (async () => {
    // Failed rounds in a row while DynamoDB Local does not answer; 0 when it does.
    let outageRounds = 0;
    for (let round = 1; !stopped; round++) {
      try {
        if (!options.handler && Date.now() - lastSweep >= sweepMs) {
          lastSweep = Date.now();
          await notifier(DIGEST_SWEEP_EVENT);
        }
        // After an outage the iterators may point into a restarted process: take fresh ones after
        // the last record read. Shards close and new ones open (DynamoDB Local rolls them too).
        if (outageRounds > 0) iterators.clear();
        if (iterators.size === 0 || round % 20 === 0) await discoverShards(false);
        await pollOnce();
        if (outageRounds > 0) options.onRecovery?.();
        outageRounds = 0;
      } catch (error) {
        if (stopped) break;
        if (!isServiceUnavailable(error)) options.onError?.(error as Error);
        else if (outageRounds++ === 0) options.onOutage?.(error as Error);
      }
      if (stopped) break;
      await sleep(
        outageRounds > 0
          ? Math.min(outageRetryMaxMs, outageRetryFirstMs * 2 ** (outageRounds - 1))
          : pollIntervalMs,
      );
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      wake();
      await loop;
      streams.destroy();
    },
  };
}

/** A record from the Streams API in the shape Lambda hands to a function (numbers, base64 binaries). */
export function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
    dynamodb: {
      ApproximateCreationDateTime: created ? Math.floor(new Date(created).getTime() / 1000) : undefined,
      Keys: data.Keys && toJsonImage(data.Keys),
      NewImage: data.NewImage && toJsonImage(data.NewImage),
      OldImage: data.OldImage && toJsonImage(data.OldImage),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    },
  } as DynamoDBRecord;
}

function toJsonImage(image: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toJsonValue(value)]));
}

function toJsonValue(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) };
  if (value.M !== undefined) return { M: toJsonImage(value.M) };
  const { $unknown: _unknown, ...plain } = value as AttributeValue & { $unknown?: unknown };
  return plain;
}
