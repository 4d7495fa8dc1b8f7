/**
 * The local stream poller on DynamoDB Local's real stream: it hands records over in the Lambda
 * event shape, and `npm start`'s LATEST mode leaves the stream's history alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type StreamPoller, startStreamPoller } from '../../dev/stream-poller';
import { handler as comments } from '../../functions/handlers/comments';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';

let stack: TestStack;
let dir: string;
let poller: StreamPoller | undefined;

beforeAll(async () => {
  stack = await createTestStack();
  dir = mkdtempSync(join(tmpdir(), 'leserpost-poller-'));
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function postComment(text: string): Promise<string> {
  const response = await call(comments, { method: 'POST', path: '/comments', json: validComment({ text }) });
  return response.body.comment.id;
}

/** Starts a poller that only records what it is given. */
async function recordingPoller(startAt: 'LATEST' | 'TRIM_HORIZON') {
  const seen: DynamoDBRecord[] = [];
  poller = await startStreamPoller({
    endpoint: stack.endpoint,
    tableName: stack.tableName,
    startAt,
    failureDir: join(dir, 'failed'),
    pollIntervalMs: 50,
    handler: async (event) => {
      seen.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
  return seen;
}

const commentIds = (records: DynamoDBRecord[]) =>
  records
    .map((record) => record.dynamodb?.NewImage && unmarshall(record.dynamodb.NewImage as never))
    .filter((item) => item?.kind === 'comment')
    .map((item) => item!.id as string);

/** The bound only ends a hanging test: DynamoDB Local's stream lags by seconds on a busy two-core machine. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('The poller did not deliver the record.');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the stream poller', () => {
  it('delivers records in the shape Lambda gives the notifier', async () => {
    const seen = await recordingPoller('TRIM_HORIZON');
    const id = await postComment('Für die Form des Ereignisses.');
    await until(() => commentIds(seen).includes(id));
    const record = seen.find((candidate) => commentIds([candidate]).includes(id))!;
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: expect.stringContaining(`table/${stack.tableName}/stream/`),
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        SequenceNumber: expect.any(String),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        Keys: { pk: { S: `COMMENT#${id}` }, sk: { S: 'COMMENT' } },
      },
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  }, 90_000);

  it('started at LATEST, leaves older records alone and delivers new ones', async () => {
    const old = await postComment('Vor dem Start geschrieben.');
    const seen = await recordingPoller('LATEST');
    const fresh = await postComment('Nach dem Start geschrieben.');
    await until(() => commentIds(seen).includes(fresh));
    expect(commentIds(seen)).not.toContain(old);
  }, 90_000);
});
