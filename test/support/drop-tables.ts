/**
 * After each test file: delete the tables it made in the suite's shared DynamoDB Local, so a long
 * run does not carry a hundred files' tables and their streams along. Files without a table pay
 * nothing (no SDK is loaded for them).
 */
afterAll(async () => {
  const tables = (globalThis as { __leserpostTables?: string[] }).__leserpostTables ?? [];
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (tables.length === 0 || !endpoint) return;
  const { DeleteTableCommand } = await import('@aws-sdk/client-dynamodb');
  const { localClient } = await import('../../dev/dynamo-local');
  const client = localClient(endpoint);
  // Best effort: a table that is already gone, or a busy DynamoDB Local, must not fail the file.
  await Promise.allSettled(
    tables.splice(0).map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
  );
}, 120_000);
