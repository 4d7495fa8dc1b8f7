/**
 * A local table kept in .leserpost/ from an earlier version gets the indexes added since (the desk
 * index of her compliment collection, for one) when the local stack starts, as a deploy would add
 * them; what the table holds stays.
 *
 * It runs its own DynamoDB Local on a data folder, as `npm start` does: the suite's shared one holds
 * every other test file's tables by then, and building indexes there took minutes on a busy CI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createTable, localClient, type RunningDynamo, startDynamoLocal } from '../../dev/dynamo-local';
import { TABLE_DEFINITION } from '../../functions/store/table-definition';

const dataDir = mkdtempSync(join(tmpdir(), 'leserpost-upgrade-'));
const started: RunningDynamo[] = [];
afterAll(async () => {
  await Promise.all(started.map((dynamo) => dynamo.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

it('adds the indexes a table of an earlier version lacks, and keeps its items', async () => {
  const earlier = await startDynamoLocal({ dataDir, readyWithinMs: 300_000 });
  started.push(earlier);
  const tableName = 'leserpost';
  let client = localClient(earlier.endpoint);
  const { partitionKey: pk, sortKey: sk } = TABLE_DEFINITION;
  const indexNames = async () =>
    (
      (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ??
      []
    )
      .map((index) => index.IndexName)
      .sort();
  // The earlier version: the keys only, no index, one item.
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: pk.name, AttributeType: pk.type },
        { AttributeName: sk.name, AttributeType: sk.type },
      ],
      KeySchema: [
        { AttributeName: pk.name, KeyType: 'HASH' },
        { AttributeName: sk.name, KeyType: 'RANGE' },
      ],
    }),
  );
  const key = { [pk.name]: { S: 'KEPT#1' }, [sk.name]: { S: 'KEPT' } };
  await client.send(new PutItemCommand({ TableName: tableName, Item: { ...key, note: { S: 'alt' } } }));
  expect(await indexNames()).toEqual([]);
  client.destroy();
  await earlier.stop();

  const now = await startDynamoLocal({ dataDir, readyWithinMs: 300_000, quickStart: true });
  started.push(now);
  client = localClient(now.endpoint);
  await createTable(now.endpoint, tableName);
  expect(await indexNames()).toEqual(Object.keys(TABLE_DEFINITION.indexes).sort());
  expect((await client.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item?.note).toEqual({
    S: 'alt',
  });
  client.destroy();
  // Two JVM starts and eight index builds: slow on a busy machine.
}, 600_000);
