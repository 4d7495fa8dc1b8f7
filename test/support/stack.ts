/**
 * A fresh table per test file in the shared DynamoDB Local, the environment the handlers read,
 * and helpers to call the real handlers with real API Gateway 2.0 events.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createTable, localClient, scanTable } from '../../dev/dynamo-local';
import { type EventInput, toApiGatewayEvent } from '../../dev/http-adapter';
import { deriveHashKeys } from '../../functions/core/privacy';
import { resetConfig } from '../../functions/runtime/config';
import { resetDocumentClient } from '../../functions/runtime/dynamo';
import { secretValueEnv } from '../../functions/runtime/secret-names';
import { resetSecrets } from '../../functions/runtime/secrets';

export const TEST_ORIGIN = 'https://blog.example';

export interface TestStack {
  tableName: string;
  endpoint: string;
  client: DynamoDBClient;
  /** Every item of the table, unmarshalled: tests may scan to inspect, product code never does. */
  dump: () => Promise<Record<string, unknown>[]>;
}

export async function createTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run the tests through jest (globalSetup).');
  const tableName = `test-${randomBytes(6).toString('hex')}`;
  await createTable(endpoint, tableName);
  tablesOfThisFile().push(tableName);
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    ...testKeyEnv(),
    ALLOWED_ORIGINS: TEST_ORIGIN,
    SITE_NAME: 'Testblog',
    SITE_LANG: 'de',
    MODERATION: 'none',
    BROWSER_GUARDS: 'off',
    // Scripts and tests post many comments from one IP; rate-limit tests set 1 themselves.
    RATE_LIMIT_SCALE: '1000',
    AUTHOR_EMAIL: 'autorin@blog.example',
    SENDER_EMAIL: 'leserpost@blog.example',
    API_BASE_URL: 'https://api.blog.example',
    ...env,
  });
  resetRuntime();
  const client = localClient(endpoint);
  return {
    tableName,
    endpoint,
    client,
    dump: () => scanTable(client, tableName),
  };
}

/**
 * Every key secret as a value, fresh per call (what the local stack keeps in files and AWS in
 * Secrets Manager). Tests that need a key derive it from these, like the runtime does.
 */
export function testKeyEnv(): Record<string, string> {
  const secret = () => randomBytes(32).toString('hex');
  return {
    [secretValueEnv('sealPrivateKey')]: secret(),
    [secretValueEnv('authorLink')]: secret(),
    [secretValueEnv('readerLink')]: secret(),
    [secretValueEnv('hashKeys')]: secret(),
  };
}

/** The hash keys the handlers use in this test file (derived as runtime/keys.ts does). */
export const testHashKeys = () => deriveHashKeys(process.env[secretValueEnv('hashKeys')]!);

/** Forgets cached config, secrets and clients after the environment changed. */
export function resetRuntime(): void {
  resetConfig();
  resetSecrets();
  resetDocumentClient();
}

/** In a describe: rate limits scaled as given (RATE_LIMIT_SCALE; '1' as deployed), the stack's again after it. */
export function useRateLimitScale(scale: string): void {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env.RATE_LIMIT_SCALE;
    process.env.RATE_LIMIT_SCALE = scale;
    resetRuntime();
  });
  afterAll(() => {
    if (before === undefined) delete process.env.RATE_LIMIT_SCALE;
    else process.env.RATE_LIMIT_SCALE = before;
    resetRuntime();
  });
  // Tests under limits move the clock to fresh windows.
  afterEach(() => jest.useRealTimers());
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
  /** Set-Cookie values (API Gateway 2.0 results carry them apart from the headers). */
  cookies: string[];
}

type Handler = (
  event: APIGatewayProxyEventV2,
) => Promise<{ statusCode?: number; headers?: Record<string, unknown>; body?: string; cookies?: string[] }>;

/** Calls a handler as API Gateway would, with the event built by the dev server's adapter. */
export async function call(handler: Handler, input: EventInput & { json?: unknown }): Promise<CallResult> {
  const headers: Record<string, string> = { origin: TEST_ORIGIN, ...(input.headers ?? {}) };
  let body = input.body;
  if (input.json !== undefined) {
    body = JSON.stringify(input.json);
    headers['content-type'] ??= 'application/json';
  }
  return callWithEvent(handler, toApiGatewayEvent({ ...input, headers, body }));
}

export async function callWithEvent(handler: Handler, event: unknown): Promise<CallResult> {
  const result = await handler(event as APIGatewayProxyEventV2);
  const text = result.body ?? '';
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML pages stay text.
  }
  return {
    status: result.statusCode ?? 200,
    headers: (result.headers ?? {}) as Record<string, string>,
    body,
    text,
    cookies: result.cookies ?? [],
  };
}

export function validComment(overrides: Record<string, unknown> = {}) {
  return {
    page: '/2026/11/hardest-client/',
    name: 'Anna Leserin',
    email: `anna.${randomBytes(4).toString('hex')}@example.org`,
    text: 'Ein wunderbarer Beitrag, danke!',
    consent: true,
    ...overrides,
  };
}

/**
 * The tables this test file made, for test/support/drop-tables.ts to delete after its last test:
 * the suite's one DynamoDB Local would otherwise hold every file's tables until the end.
 */
export function tablesOfThisFile(): string[] {
  const scope = globalThis as { __leserpostTables?: string[] };
  scope.__leserpostTables ??= [];
  return scope.__leserpostTables;
}
