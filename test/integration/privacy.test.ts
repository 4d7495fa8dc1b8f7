/**
 * Privacy by construction: emails are never published, and the public indexes cannot return
 * them or their hashes whatever a handler does.
 */
import { DescribeTableCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { handler } from '../../functions/handlers/comments';
import { PRIVATE_ATTRIBUTES } from '../../functions/store/table-definition';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';

let stack: TestStack;
const page = '/posts/privacy';
const emails = ['erika.mustermann@example.de', 'Jan.Schmidt+blog@Example.org', 'leserin@beispiel.example'];
const publicTexts: string[] = [];

beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'none' });
  for (const email of emails) {
    const response = await call(handler, {
      method: 'POST',
      path: '/comments',
      json: validComment({ page, email }),
      sourceIp: '203.0.113.7',
    });
    expect(response.status).toBe(201);
    publicTexts.push(response.text);
  }
  const list = await call(handler, { method: 'GET', path: '/comments', rawQueryString: `page=${page}` });
  const counts = await call(handler, {
    method: 'GET',
    path: '/comments/counts',
    rawQueryString: `pages=${page}`,
  });
  publicTexts.push(list.text, counts.text);
});

it('keeps no plaintext email and no raw IP anywhere in the table', async () => {
  const dump = JSON.stringify(await stack.dump()).toLowerCase();
  for (const email of emails) expect(dump).not.toContain(email.toLowerCase());
  expect(dump).not.toContain('203.0.113.7');
});

it('stores an encrypted email and a keyed hash for each comment', async () => {
  const comments = (await stack.dump()).filter((item) => item.kind === 'comment');
  expect(comments).toHaveLength(3);
  for (const comment of comments) {
    expect(comment.emailEnc).toMatch(/^v2\./); // sealed to the public key (HPKE)
    expect(comment.emailHash).toMatch(/^[\w-]{43}$/);
    expect(comment.ipHash).toMatch(/^[\w-]{32}$/);
  }
});

it('returns no email, email hash or IP hash in any public response', async () => {
  const secrets = (await stack.dump())
    .flatMap((item) => [item.emailEnc, item.emailHash, item.ipHash])
    .filter(Boolean);
  expect(secrets.length).toBeGreaterThanOrEqual(9);
  for (const text of publicTexts) {
    for (const email of emails) expect(text.toLowerCase()).not.toContain(email.toLowerCase());
    for (const secret of secrets) expect(text).not.toContain(secret as string);
  }
});

it('projects no private attribute into any public index', async () => {
  const table = await stack.client.send(new DescribeTableCommand({ TableName: stack.tableName }));
  const publicIndexes = (table.Table?.GlobalSecondaryIndexes ?? []).filter(
    // The private indexes: the author's queues, one reader's own data by her lookup hash, and
    // the desk's own lists (her compliment collection).
    (index) => !['moderation', 'reader', 'desk'].includes(index.IndexName ?? ''),
  );
  expect(publicIndexes.map((index) => index.IndexName).sort()).toEqual([
    'public',
    'public2',
    'ranked',
    'recent',
  ]);
  for (const index of publicIndexes) {
    expect(index.Projection?.ProjectionType).toBe('INCLUDE');
    for (const attribute of PRIVATE_ATTRIBUTES)
      expect(index.Projection?.NonKeyAttributes).not.toContain(attribute);
  }
});

it('a raw query of the public index, asking for everything, yields no private attribute', async () => {
  const result = await stack.client.send(
    new QueryCommand({
      TableName: stack.tableName,
      IndexName: 'public',
      KeyConditionExpression: 'pub1pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `PAGE#${page}` } },
      Select: 'ALL_PROJECTED_ATTRIBUTES',
    }),
  );
  const items = (result.Items ?? []).map((item) => unmarshall(item));
  expect(items).toHaveLength(3);
  for (const item of items)
    for (const attribute of PRIVATE_ATTRIBUTES) expect(item).not.toHaveProperty(attribute);
});
