/**
 * A local table kept in .leserpost/ from an earlier version gets the indexes added since (the desk
 * index of her compliment collection, for one) when the local stack starts, as a deploy would add
 * them; what the table holds stays.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createTable, localClient } from '../../dev/dynamo-local';
import { TABLE_DEFINITION } from '../../functions/store/table-definition';

it('adds the indexes a table of an earlier version lacks, and keeps its items', async () => {
  const endpoint = process.env.DYNAMODB_ENDPOINT!;
  const tableName = `upgrade-${randomBytes(4).toString('hex')}`;
  const client = localClient(endpoint);
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

  await createTable(endpoint, tableName);
  expect(await indexNames()).toEqual(Object.keys(TABLE_DEFINITION.indexes).sort());
  expect((await client.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item?.note).toEqual({
    S: 'alt',
  });
  client.destroy();
  // Creating indexes is slow on a busy machine's DynamoDB Local.
}, 120_000);
