/**
 * Faults: DynamoDB throttling or unreachable gives 503 with Retry-After and the request id (in the
 * response and in the log), and no partial write. The logs never hold an email, an IP or a token.
 * The faults come from a real HTTP fault injector in front of DynamoDB Local (test/support).
 */
import '../support/debug-log';

import { createServer, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { freePort } from '../../dev/dynamo-local';
import { issueFormToken } from '../../functions/core/guards';
import { LIMITS } from '../../functions/core/limits';
import { solvePow } from '../../functions/core/pow-solve';
import { issueToken } from '../../functions/core/tokens';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as moderation } from '../../functions/handlers/moderation';
import { handler as wishes } from '../../functions/handlers/wishes';
import { documentClient } from '../../functions/runtime/dynamo';
import { linkKey } from '../../functions/runtime/keys';
import { type FaultInjector, startFaultInjector } from '../support/fault-injector';
import {
  type CallResult,
  call,
  createTestStack,
  resetRuntime,
  type TestStack,
  testHashKeys,
  validComment,
} from '../support/stack';
import { newVoterId, validWish } from '../support/wishes';

let stack: TestStack;
let injector: FaultInjector;
let realEndpoint: string;

/** Everything the handlers write to stdout and stderr (the Lambda log). */
const logged: string[] = [];
const writes = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};

beforeAll(async () => {
  stack = await createTestStack({ BROWSER_GUARDS: 'on', POW_MAX_NUMBER: '1000', RATE_LIMIT_SCALE: '1' });
  realEndpoint = stack.endpoint;
  injector = await startFaultInjector(realEndpoint);
  useEndpoint(injector.endpoint);
  for (const stream of ['stdout', 'stderr'] as const) {
    jest.spyOn(process[stream], 'write').mockImplementation(((
      chunk: string | Uint8Array,
      ...rest: never[]
    ) => {
      logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return writes[stream](chunk, ...rest);
    }) as never);
  }
});

afterAll(async () => {
  jest.restoreAllMocks();
  useEndpoint(realEndpoint);
  delete process.env.LOG_LEVEL;
  await injector.close();
});

beforeEach(() => {
  injector.rule = () => undefined;
  logged.length = 0;
});

function useEndpoint(endpoint: string) {
  process.env.DYNAMODB_ENDPOINT = endpoint;
  resetRuntime();
}

const keys = () => ({ hash: testHashKeys() });

/** A browser submission: guard fields as the widget sends them. */
async function browserComment(overrides: Record<string, unknown> = {}) {
  const guard = (await call(comments, { method: 'GET', path: '/guard' })).body;
  return validComment({
    hp: '',
    formToken: issueFormToken(keys().hash.formTokens, new Date(Date.now() - 15_000)),
    pow: await solvePow(guard.pow),
    ...overrides,
  });
}

const post = (json: unknown, headers: Record<string, string> = {}, sourceIp = '198.51.100.44') =>
  call(comments, { method: 'POST', path: '/comments', json, headers, sourceIp });

function expectBusy(response: CallResult) {
  expect(response.status).toBe(503);
  expect(response.body.error.code).toBe('service_unavailable');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  const requestId = response.body.error.requestId;
  expect(requestId).toMatch(/\S/);
  // The same request id is in the log, so the author can find the failure.
  const line = logged.find((entry) => entry.includes(requestId) && /unavailable|busy/i.test(entry));
  expect(line).toBeDefined();
}

describe('a page a person opens (the moderation link in her mail) when the database fails', () => {
  const open = async (lang: string) => {
    const link = issueToken(
      { kind: 'comment', action: 'approve', target: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      await linkKey('author'),
      new Date(),
    );
    return call(moderation, {
      method: 'GET',
      path: '/moderate',
      rawQueryString: `t=${link}`,
      headers: { 'accept-language': lang },
    });
  };

  it('answers 503 with Retry-After as an HTML page in her language (README, API)', async () => {
    injector.rule = () => 'ThrottlingException';
    for (const [lang, text] of [
      ['de', 'Der Dienst ist gerade überlastet.'],
      ['en', 'The service is busy right now.'],
    ]) {
      const page = await open(lang!);
      expect(page.status).toBe(503);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
      expect(page.text).toContain(text);
    }
  });

  it('answers a failure that is nobody’s fault as a 500 HTML page in her language', async () => {
    injector.rule = () => 'AccessDeniedException';
    const page = await open('en');
    expect(page.status).toBe(500);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Something went wrong on our side.');
    expect(page.text).not.toContain('AccessDenied');
  });
});

describe('DynamoDB throttling', () => {
  it.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'InternalServerError',
    'TransactionCanceledThrottling',
  ] as const)(
    'a comment write failing with %s: 503, Retry-After, request id, nothing written',
    async (fault) => {
      const comment = await browserComment({ text: `Drosselung ${fault}` });
      const before = await stack.dump();
      injector.rule = (operation) => (operation === 'TransactWriteItems' ? fault : undefined);
      expectBusy(await post(comment, { 'idempotency-key': `fault-${fault}` }));
      expect(injector.seen).toContain('TransactWriteItems');
      // All or nothing: no comment, no counter, no rate counter, no replay marker, no idempotency record.
      expect(await stack.dump()).toEqual(before);

      // Once DynamoDB recovers, the very same submission (same proof of work, same key) goes through.
      injector.rule = () => undefined;
      const retry = await post(comment, { 'idempotency-key': `fault-${fault}` });
      expect(retry.status).toBe(201);
    },
  );

  it('a throttled read: 503 for the comment list', async () => {
    injector.rule = (operation) => (operation === 'Query' ? 'ThrottlingException' : undefined);
    expectBusy(await call(comments, { method: 'GET', path: '/comments', rawQueryString: 'page=/posts/a' }));
  });

  it('throttling on the first read of a submission (the idempotency lookup): 503, nothing written', async () => {
    const comment = await browserComment();
    const before = await stack.dump();
    injector.rule = (operation) =>
      operation === 'GetItem' ? 'ProvisionedThroughputExceededException' : undefined;
    expectBusy(await post(comment, { 'idempotency-key': 'fault-get-item' }));
    expect(await stack.dump()).toEqual(before);
  });

  it('a throttled wish and a throttled vote: 503, nothing written', async () => {
    const before = await stack.dump();
    injector.rule = (operation) => (operation === 'TransactWriteItems' ? 'ThrottlingException' : undefined);
    const guard = (await call(comments, { method: 'GET', path: '/guard' })).body;
    const wish = validWish({
      formToken: issueFormToken(keys().hash.formTokens, new Date(Date.now() - 15_000)),
      pow: await solvePow(guard.pow),
    });
    expectBusy(await call(wishes, { method: 'POST', path: '/wishes', json: wish }));
    expectBusy(
      await call(wishes, {
        method: 'POST',
        path: '/wishes/01ARZ3NDEKTSV4RRFFQ69G5FAV/vote',
        // A vote carries its proof of work, as the widget sends it.
        json: {
          voterId: newVoterId(),
          pow: await solvePow((await call(comments, { method: 'GET', path: '/guard' })).body.pow),
        },
      }),
    );
    expect(await stack.dump()).toEqual(before);
  });
});

describe('DynamoDB unreachable', () => {
  it('answers 503 with Retry-After and the request id, for reads and writes', async () => {
    const comment = await browserComment();
    const before = await stack.dump();
    useEndpoint(`http://127.0.0.1:${await freePort()}`);
    try {
      expectBusy(await post(comment));
      expectBusy(
        await call(comments, { method: 'GET', path: '/comments/counts', rawQueryString: 'pages=/a' }),
      );
    } finally {
      useEndpoint(injector.endpoint);
    }
    expect(await stack.dump()).toEqual(before);
  });
});

/**
 * A database that takes the connection and then never answers (a hung host, a half-open network):
 * a real TCP server that accepts and stays silent. Without request timeouts every request would wait
 * until the Lambda dies; with them each attempt ends after LIMITS.dynamo.requestTimeoutMs.
 */
describe('DynamoDB accepts connections but never answers', () => {
  const suiteTimeout = process.env.DYNAMODB_REQUEST_TIMEOUT_MS;
  let silent: Server;
  let silentEndpoint: string;
  const accepted: Socket[] = [];
  const closedByClient: Socket[] = [];

  beforeAll(async () => {
    silent = createServer((socket) => {
      accepted.push(socket);
      socket.on('data', () => {}); // read the request, never answer
      socket.on('close', () => closedByClient.push(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    silentEndpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  beforeEach(() => {
    accepted.length = 0;
    closedByClient.length = 0;
    // The shipped timeout, not the suite's longer one (test/support/global-setup.ts).
    delete process.env.DYNAMODB_REQUEST_TIMEOUT_MS;
    useEndpoint(silentEndpoint);
  });

  afterEach(() => {
    if (suiteTimeout) process.env.DYNAMODB_REQUEST_TIMEOUT_MS = suiteTimeout;
    useEndpoint(injector.endpoint);
  });

  it('each attempt is ended by the configured request timeout, then the SDK gives up', async () => {
    const error = (await documentClient()
      .send(new GetCommand({ TableName: stack.tableName, Key: { pk: 'x', sk: 'y' } }))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )) as Error & { $metadata?: { attempts?: number } };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toContain(`${LIMITS.dynamo.requestTimeoutMs} ms requestTimeout`);
    expect(error.$metadata?.attempts).toBe(LIMITS.dynamo.maxAttempts);
    // One connection per attempt, each closed by the client (the server never closes one).
    expect(accepted).toHaveLength(LIMITS.dynamo.maxAttempts);
    await waitFor(() => closedByClient.length === LIMITS.dynamo.maxAttempts);
  });

  it('a comment answers 503 with Retry-After because the timeout ended it, and nothing is written', async () => {
    useEndpoint(injector.endpoint);
    const comment = await browserComment({ text: 'Die Datenbank schweigt.' });
    const before = await stack.dump();
    useEndpoint(silentEndpoint);
    const response = await post(comment, { 'idempotency-key': 'fault-silent-database' });
    expectBusy(response);
    const line = logged.find(
      (entry) => entry.includes(response.body.error.requestId) && /unavailable/.test(entry),
    );
    expect(line).toContain('TimeoutError');
    expect(accepted.length).toBeGreaterThanOrEqual(LIMITS.dynamo.maxAttempts);

    // Back to the real database: nothing of the request was stored, and the same submission goes through.
    useEndpoint(injector.endpoint);
    expect(await stack.dump()).toEqual(before);
    expect((await post(comment, { 'idempotency-key': 'fault-silent-database' })).status).toBe(201);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the log', () => {
  it('never holds an email address, a client IP or a token, whatever happens', async () => {
    const email = 'geheime.leserin@example.org';
    const ip = '203.0.113.177';
    const secrets: string[] = [email, ip];
    const remember = <T extends Record<string, unknown>>(body: T) => {
      for (const key of ['formToken', 'pow', 'voterId'] as const)
        if (typeof body[key] === 'string') secrets.push(body[key] as string);
      return body;
    };

    // A stored comment, a held one, a bot, a replay, bad input, a rate limit, a fault, a retry.
    const good = remember(await browserComment({ email, text: 'Alles gut hier.' }));
    const key = 'idem-key-never-logged-123';
    secrets.push(key);
    await post(good, { 'idempotency-key': key }, ip);
    await post(good, { 'idempotency-key': key }, ip);
    await post(good, {}, ip);
    await post(
      remember(await browserComment({ email, text: 'VIEL ZU LAUT GESCHRIEBEN, ODER ETWA NICHT?' })),
      {},
      ip,
    );
    await post(validComment({ email, hp: 'filled' }), {}, ip);
    await post(validComment({ email: `${email}\r\nBcc: x@example.org` }), {}, ip);
    for (let i = 0; i < 10; i++)
      await post(remember(await browserComment({ email, page: `/posts/log-${i}` })), {}, ip);
    injector.rule = (operation) => (operation === 'TransactWriteItems' ? 'ThrottlingException' : undefined);
    await post(remember(await browserComment({ email })), {}, ip);
    injector.rule = () => undefined;

    // A wish, a vote, a moderation link.
    await call(wishes, {
      method: 'POST',
      path: '/wishes',
      json: remember(validWish({ email })),
      sourceIp: ip,
    });
    const voterId = newVoterId();
    secrets.push(voterId);
    await call(wishes, {
      method: 'POST',
      path: '/wishes/01ARZ3NDEKTSV4RRFFQ69G5FAV/vote',
      json: { voterId },
      sourceIp: ip,
    });
    const link = issueToken(
      { kind: 'comment', action: 'approve', target: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      await linkKey('author'),
      new Date(),
    );
    secrets.push(link);
    await call(moderation, { method: 'GET', path: '/moderate', rawQueryString: `t=${link}`, sourceIp: ip });

    const log = logged.join('');
    // The log was written at all (the handlers log every request at DEBUG and above).
    expect(log).toMatch(/request handled|request refused/);
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(encodeURIComponent(secret));
    }
  });
});
