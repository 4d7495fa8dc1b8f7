/**
 * A local table kept in .leserpost/ from an earlier version gets the indexes added since (here the
 * desk index of her compliment collection) when the local stack starts, as a deploy would add them.
 */
import { randomBytes } from 'node:crypto';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { createTable, localClient } from '../../dev/dynamo-local';
import { TABLE_DEFINITION } from '../../functions/store/table-definition';

it('adds an index the table of an earlier version lacks, and keeps the others', async () => {
  const endpoint = process.env.DYNAMODB_ENDPOINT!;
  const tableName = `upgrade-${randomBytes(4).toString('hex')}`;
  const client = localClient(endpoint);
  const indexNames = async () =>
    (
      (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ??
      []
    )
      .map((index) => index.IndexName)
      .sort();
  await createTable(endpoint, tableName);
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'desk' } }],
    }),
  );
  // DynamoDB Local may report a deleted index for a moment (as DynamoDB reports it DELETING).
  for (let i = 0; i < 100 && (await indexNames()).includes('desk'); i++)
    await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await indexNames()).not.toContain('desk');
  await createTable(endpoint, tableName);
  expect(await indexNames()).toEqual(Object.keys(TABLE_DEFINITION.indexes).sort());
  client.destroy();
  // Creating and changing indexes is slow on a busy machine's DynamoDB Local.
}, 120_000);
