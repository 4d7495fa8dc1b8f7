/**
 * The local stack at its edges, over real HTTP: a body over the limit, a query string over Node's
 * header limit, and DynamoDB Local dying under it. Each answers as the API does (JSON error, the
 * reader's language) and the stack keeps working afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack, startOptionsFromEnvironment } from '../../dev/local-stack';
import { LIMITS } from '../../functions/core/limits';
import { waitForMails } from '../support/outbox';
import { validComment } from '../support/stack';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The local port of the connection: the same port twice means the same keep-alive connection. */
  localPort: number | undefined;
}

function send(
  url: string,
  options: { method?: string; body?: Buffer | string; headers?: Record<string, string>; agent?: Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            localPort: req.socket?.localPort,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'content-type': 'application/json', 'accept-language': 'en' };

/**
 * Sends raw bytes over a socket and reads the first answer (status line, body by Content-Length).
 * `halfClose` ends the sending side after the bytes: a client that gives up mid-body.
 */
function sendRaw(url: string, raw: string, halfClose = false): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    const finish = () => {
      const text = received.toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd < 0) return false;
      const head = text.slice(0, headEnd);
      const rest = text.slice(headEnd + 4);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      let body = rest;
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        if (!rest.endsWith('0\r\n\r\n')) return false;
        body = '';
        for (let at = 0; ; ) {
          const lineEnd = rest.indexOf('\r\n', at);
          const size = Number.parseInt(rest.slice(at, lineEnd), 16);
          if (!size) break;
          body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
          at = lineEnd + 2 + size + 2;
        }
      } else if (length !== undefined && Buffer.byteLength(rest) < Number(length)) return false;
      resolve({ status: Number(text.slice(9, 12)), body });
      socket.destroy();
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on('end', () => {
      if (!finish())
        reject(new Error(`no complete answer: ${JSON.stringify(received.toString('utf8').slice(0, 200))}`));
    });
    socket.on('error', reject);
    socket.write(raw, () => {
      if (halfClose) socket.end();
    });
  });
}

describe('the local HTTP server at its limits', () => {
  let stack: LocalStack;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'leserpost-edges-'));
    stack = await startLocalStack({
      port: 0,
      dataDir,
      dynamoEndpoint: process.env.DYNAMODB_ENDPOINT,
      tableName: `edges-${randomBytes(5).toString('hex')}`,
      env: { BROWSER_GUARDS: 'off', RATE_LIMIT_SCALE: '0', MODERATION: 'none' },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a body over the limit gets 413 JSON, and the same keep-alive connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = JSON.stringify(validComment({ text: 'x'.repeat(LIMITS.bodyBytes * 3) }));
      const refused = await send(`${stack.apiUrl}/comments`, {
        method: 'POST',
        body: big,
        headers: json,
        agent,
      });
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.text).error).toMatchObject({
        code: 'payload_too_large',
        message: 'The body is too large.',
      });
      expect(refused.headers.connection).not.toBe('close');
      const next = await send(`${stack.apiUrl}/comments?page=%2Fposts%2Fedges`, { agent, headers: json });
      expect(next.status).toBe(200);
      expect(JSON.parse(next.text)).toEqual({ page: '/posts/edges', comments: [], cursor: null });
      expect(next.localPort).toBe(refused.localPort);
    } finally {
      agent.destroy();
    }
  });

  it('a body far over what is worth reading gets 413 JSON and a closed connection; the server carries on', async () => {
    const huge = Buffer.alloc(LIMITS.local.drainBytes * 2, 0x61);
    const refused = await send(`${stack.apiUrl}/comments`, { method: 'POST', body: huge, headers: json });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.text).error.code).toBe('payload_too_large');
    expect(refused.headers.connection).toBe('close');
    expect((await send(`${stack.apiUrl}/comments?page=%2Fa`)).status).toBe(200);
  });

  it('a query string over the header limit gets 431 with the JSON error instead of an empty body', async () => {
    const query = `page=%2Fa&cursor=${'A'.repeat(LIMITS.local.maxHeaderBytes + 100)}`;
    const refused = await send(`${stack.apiUrl}/comments?${query}`);
    expect(refused.status).toBe(431);
    expect(refused.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(refused.text).error).toMatchObject({
      code: 'header_too_large',
      message: 'Die Kopfzeilen oder die Anfrage-Adresse sind zu lang.',
      fields: [],
    });
    expect((await send(`${stack.apiUrl}/comments?page=%2Fa`)).status).toBe(200);
  });

  it('what only a socket can send: never a 5xx, an API path always answers the JSON error shape', async () => {
    const host = new URL(stack.apiUrl).host;
    const comment = JSON.stringify(validComment({ page: '/posts/socket' }));
    const chunked = (body: string) => `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const cases: [string, string, number][] = [
      // An absolute-form target the URL parser cannot read (Node's HTTP parser lets it through).
      ['unparsable target', `GET http://[::1/api/comments HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 400],
      [
        'chunked body without length, over the limit',
        `POST /api/comments HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(`{"text":"${'x'.repeat(LIMITS.bodyBytes)}"}`)}`,
        413,
      ],
      [
        'chunked and Content-Length at once (request smuggling)',
        `POST /api/comments HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('{}')}`,
        400,
      ],
      [
        'a Content-Length larger than the body sent (the client then closes)',
        `POST /api/comments HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 999999\r\n\r\n{"text":"x"}`,
        400,
      ],
      [
        'one huge header',
        `GET /api/comments?page=%2Fa HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(LIMITS.local.maxHeaderBytes + 10)}\r\n\r\n`,
        431,
      ],
      [
        'two Cookie headers and a malformed __Host- cookie on the desk',
        `GET /desk HTTP/1.1\r\nHost: ${host}\r\nCookie: __Host-leserpost-desk=\r\nCookie: __Host-leserpost-desk=%00; =;\r\n\r\n`,
        303,
      ],
      ['HEAD on a GET route', `HEAD /api/comments?page=%2Fa HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 405],
      [
        'a broken escape in a path parameter',
        `DELETE /api/comments/%E0%A4%A HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"editKey":"abc"}`,
        400,
      ],
    ];
    for (const [name, raw, status] of cases) {
      const answer = await sendRaw(stack.apiUrl, raw, name.startsWith('a Content-Length'));
      expect({ name, status: answer.status }).toEqual({ name, status });
      if (!name.includes('desk') && !name.startsWith('HEAD'))
        expect({ name, error: typeof JSON.parse(answer.body).error?.code }).toEqual({
          name,
          error: 'string',
        });
    }
    // A chunked body without Content-Length under the limit is an ordinary comment.
    const posted = await sendRaw(
      stack.apiUrl,
      `POST /api/comments HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked(comment)}`,
    );
    expect(posted.status).toBe(201);
  });

  it('a query string over the API limit but under the header limit is the handler’s 414', async () => {
    const refused = await send(`${stack.apiUrl}/comments?page=%2Fa&x=${'b'.repeat(LIMITS.queryStringChars)}`);
    expect(refused.status).toBe(414);
    expect(JSON.parse(refused.text).error.code).toBe('uri_too_long');
  });
});

describe('the settings `npm start` takes from its environment (README, Configuration)', () => {
  let stack: LocalStack;
  let dataDir: string;
  const before = {
    AUTHOR_EMAIL: process.env.AUTHOR_EMAIL,
    SENDER_EMAIL: process.env.SENDER_EMAIL,
    SITE_NAME: process.env.SITE_NAME,
  };
  const blog = 'https://www.herz.example';
  const desk = 'https://desk.herz.example/desk';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'leserpost-settings-'));
    // AUTHOR_EMAIL without SENDER_EMAIL: the sender falls back to the author, as documented.
    process.env.AUTHOR_EMAIL = 'jana@herz.example';
    delete process.env.SENDER_EMAIL;
    // Without SITE_NAME: the demo blog's name (README, Configuration).
    delete process.env.SITE_NAME;
    const fromEnvironment = startOptionsFromEnvironment({
      ALLOWED_ORIGINS: `${blog},http://localhost:8080`,
      DESK_URL: desk,
      MODERATION: 'all',
      BROWSER_GUARDS: 'off',
    });
    stack = await startLocalStack({
      port: 0,
      dataDir,
      dynamoEndpoint: process.env.DYNAMODB_ENDPOINT,
      tableName: `settings-${randomBytes(5).toString('hex')}`,
      ...fromEnvironment,
      env: { ...fromEnvironment.env, RATE_LIMIT_SCALE: '0' },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const preflight = (origin: string) =>
    send(`${stack.apiUrl}/comments`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });

  it('ALLOWED_ORIGINS: a blog on another origin may call the API, and so may the demo blog', async () => {
    for (const origin of [blog, 'http://localhost:8080', stack.url]) {
      expect((await preflight(origin)).headers['access-control-allow-origin']).toBe(origin);
    }
    expect((await preflight('https://elsewhere.example')).headers['access-control-allow-origin']).toBe(
      undefined,
    );
  });

  it('MODERATION=all holds even a first comment that passes every check', async () => {
    const posted = await send(`${stack.apiUrl}/comments`, {
      method: 'POST',
      headers: { ...json, origin: blog },
      body: JSON.stringify(validComment()),
    });
    expect(posted.status).toBe(201);
    expect(JSON.parse(posted.text).comment.status).toBe('pending');
  });

  it('DESK_URL: the login link points there, and only its origin may post to the desk; the mail comes from the author', async () => {
    const login = (origin: string) =>
      send(`${stack.url}/desk/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: 'email=jana%40herz.example',
      });
    expect(stack.deskUrl).toBe(desk);
    expect((await login(stack.url)).status).toBe(403);
    expect((await login(new URL(desk).origin)).status).toBe(303);
    const [mail] = await waitForMails(stack.outboxDir, 1);
    expect(mail!.from).toContain('jana@herz.example');
    expect(mail!.from).toContain('Marketing mit Herz');
    expect(mail!.text).toContain(`${desk}/login/confirm?t=`);
  });
});

describe('DynamoDB Local dying under the local stack', () => {
  it('is restarted on the same port and data, the API answers again, and the poller reports the outage once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leserpost-outage-'));
    const said: string[] = [];
    const warn = jest.spyOn(console, 'warn').mockImplementation((message: string) => said.push(message));
    const log = jest.spyOn(console, 'log').mockImplementation((message: string) => said.push(message));
    const stack = await startLocalStack({
      port: 0,
      dataDir,
      notifier: 'TRIM_HORIZON',
      env: { BROWSER_GUARDS: 'off', RATE_LIMIT_SCALE: '0', MODERATION: 'none' },
    });
    try {
      const page = '/posts/outage';
      const list = `${stack.apiUrl}/comments?page=${encodeURIComponent(page)}`;
      const posted = await send(`${stack.apiUrl}/comments`, {
        method: 'POST',
        body: JSON.stringify(validComment({ page, text: 'Vor dem Ausfall geschrieben.' })),
        headers: json,
      });
      expect(posted.status).toBe(201);
      // DynamoDB Local answers a transaction once its COMMIT is queued, not once it ran, so a SIGKILL
      // right after the 201 can take the comment with it (bench/durability.ts); DynamoDB does not.
      // A read after the 201 waits in the same queue behind that COMMIT: after it the comment is on disk.
      const before = await send(list, { headers: json });
      expect(JSON.parse(before.text).comments.map((c: { text: string }) => c.text)).toEqual([
        'Vor dem Ausfall geschrieben.',
      ]);
      const pid = stack.dynamo!.pid!;
      process.kill(pid, 'SIGKILL');
      await stack.dynamo!.current().exited;

      const during = await send(list, { headers: json });
      expect(during.status).toBe(503);
      expect(JSON.parse(during.text).error.code).toBe('service_unavailable');

      let after: Answer | undefined;
      // A generous wait on the condition: a JVM on a busy two-core machine may take minutes to start.
      for (const deadline = Date.now() + LIMITS.local.dynamoStartWithinMs; Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        after = await send(list, { headers: json });
        if (after.status === 200) break;
      }
      expect(after?.status).toBe(200);
      expect(stack.dynamo!.pid).not.toBe(pid);
      // README: the restart runs with JVM flags for a quick start (client compiler only, serial GC).
      const restarted = readFileSync(`/proc/${stack.dynamo!.pid}/cmdline`, 'utf8').split('\0');
      expect(restarted).toEqual(expect.arrayContaining(['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']));
      expect(JSON.parse(after!.text).comments.map((c: { text: string }) => c.text)).toEqual([
        'Vor dem Ausfall geschrieben.',
      ]);
      // Give the poller a few rounds to notice the recovery: its pause grows to 5 s while the database
      // is down, and a JVM just restarted on a busy two-core machine answers its first calls slowly.
      for (
        const deadline = Date.now() + 120_000;
        Date.now() < deadline && !said.some((line) => /answers again/.test(line));
      )
        await new Promise((resolve) => setTimeout(resolve, 500));
      const pollerOutage = said.filter((line) =>
        /stream poller\): DynamoDB Local does not answer/.test(line),
      );
      const pollerBack = said.filter((line) => /stream poller\): DynamoDB Local answers again/.test(line));
      expect(pollerOutage).toHaveLength(1);
      expect(pollerBack).toHaveLength(1);
      expect(said.filter((line) => /stopped; restarting/.test(line))).toHaveLength(1);
      expect(said.filter((line) => /is back/.test(line))).toHaveLength(1);
    } finally {
      await stack.stop();
      warn.mockRestore();
      log.mockRestore();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 900_000);
});
