/**
 * The whole product on one machine: DynamoDB Local, the API handlers behind an HTTP server that
 * speaks API Gateway 2.0 events, the demo blog and the widget. `npm start` and the browser tests
 * both run this; nothing here re-implements what the Lambdas do.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { LIMITS } from '../functions/core/limits';
import { pickLang } from '../functions/core/messages';
import { errorResponse } from '../functions/http/response';
import { bodyLimitOf, findRoute, ROUTES, unmatchedGroup } from '../functions/routes';
import { config, resetConfig } from '../functions/runtime/config';
import { resetDocumentClient } from '../functions/runtime/dynamo';
import { resetSecrets } from '../functions/runtime/secrets';
import { buildWidget } from '../widget/build';
import { createTable, type SupervisedDynamo, superviseDynamoLocal } from './dynamo-local';
import { EdgeCache, edgeCacheKey } from './edge-cache';
import { LOCAL_HANDLERS } from './handlers';
import { answerClientError, readBody, toApiGatewayEvent, writeResult } from './http-adapter';
import { keyFileEnv } from './key-files';
import { outboxRoute } from './outbox';
import { startStreamPoller } from './stream-poller';

export const API_PREFIX = '/api';
/** Where the emulated CloudFront answers the readers' GETs (option `edgeCache`). */
export const EDGE_PREFIX = '/edge';
export const DESK_PATH = '/desk';
const DEMO_DIR = join(__dirname, 'demo');
const WIDGET_DIR = join(__dirname, '../widget/dist');

export interface LocalStackOptions {
  /** Port of the HTTP server; 0 picks a free one. */
  port: number;
  /** Folder for the key files, the outbox and (without dynamoEndpoint) the DynamoDB data. */
  dataDir: string;
  /** Use a DynamoDB Local that is already running (tests); otherwise one is started. */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Extra environment for the handlers (e.g. MODERATION, BROWSER_GUARDS). */
  env?: Record<string, string>;
  /** Blog origins that may call the API besides the local server's own (a blog on another port). */
  allowedOrigins?: string[];
  /** Extra routes for the local server only (e.g. the outbox page), tried before the demo files. */
  extraRoutes?: LocalRoute[];
  /**
   * Read the table's stream and send mail with the notifier handler, into the outbox (shown at
   * /dev/mail). LATEST: only changes from now on (`npm start`); TRIM_HORIZON: all (tests).
   */
  notifier?: 'LATEST' | 'TRIM_HORIZON';
  /**
   * Also serve the readers' GETs at /edge through an emulated CloudFront (dev/edge-cache.ts): public
   * reads come from its cache for their lifetime, as through the widget's distribution, whose base
   * the embed snippet gives the widget as `data-reads`. /api stays the API itself. A clock may be
   * given (tests stop it, so a slow machine never outlives the few seconds of the lifetime).
   */
  edgeCache?: boolean | { now: () => number };
}

export type LocalRoute = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => Promise<boolean> | boolean;

export interface LocalStack {
  url: string;
  apiUrl: string;
  /** The author's desk (log in with a link from the outbox). */
  deskUrl: string;
  tableName: string;
  dynamoEndpoint: string;
  /** The DynamoDB Local this stack started and keeps running (none with options.dynamoEndpoint). */
  dynamo?: SupervisedDynamo;
  outboxDir: string;
  dataDir: string;
  stop: () => Promise<void>;
  /** Things to stop with the stack (pollers, timers). */
  onStop: (stop: () => Promise<void> | void) => void;
  /** Requests still being handled: a client that gave up does not end the handler's work. */
  inFlight: () => number;
}

/** The settings the local notifier mails with, for `npm run admin -- mail-retry` (local.json). */
export function notifierEnvironment(): Record<string, string> {
  const names = [
    'API_BASE_URL',
    'SITE_NAME',
    'SITE_LANG',
    'AUTHOR_EMAIL',
    'SENDER_EMAIL',
    'MAIL_TRANSPORT',
    'OUTBOX_DIR',
  ];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

/**
 * What `npm start` takes from its environment (README, Configuration): MODERATION, BROWSER_GUARDS,
 * ALLOWED_ORIGINS (added to the local server's own origins, which the demo blog needs) and DESK_URL
 * (the desk's address when it is reached under another name, e.g. through a tunnel).
 */
export function startOptionsFromEnvironment(
  env: NodeJS.ProcessEnv,
): Required<Pick<LocalStackOptions, 'env' | 'allowedOrigins'>> {
  return {
    env: {
      MODERATION: env.MODERATION ?? 'first-time',
      BROWSER_GUARDS: env.BROWSER_GUARDS ?? 'on',
      ...(env.DESK_URL ? { DESK_URL: env.DESK_URL } : {}),
    },
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').filter((origin) => origin.trim()),
  };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const outboxDir = join(options.dataDir, 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  let dynamo: SupervisedDynamo | undefined;
  let dynamoEndpoint = options.dynamoEndpoint;
  if (!dynamoEndpoint) {
    const dbDir = join(options.dataDir, 'dynamodb');
    mkdirSync(dbDir, { recursive: true });
    dynamo = await superviseDynamoLocal({
      dataDir: dbDir,
      port: Number(process.env.DYNAMODB_PORT ?? 0) || undefined,
    });
    dynamoEndpoint = dynamo.endpoint;
  }
  const tableName = options.tableName ?? 'leserpost';
  await createTable(dynamoEndpoint, tableName);
  // Built from source on every start, so the demo blog always runs the current widget.
  await buildWidget(WIDGET_DIR);

  const stoppers: (() => Promise<void> | void)[] = [];
  // The local mailbox first: /dev/mail shows what the notifier wrote into the outbox.
  const routes = [outboxRoute(outboxDir), ...(options.extraRoutes ?? [])];
  const edge = options.edgeCache
    ? new EdgeCache(options.edgeCache === true ? undefined : options.edgeCache.now)
    : undefined;
  // The header limit set on purpose (not Node's default), and answered as the API answers.
  let inFlight = 0;
  const server = createServer({ maxHeaderSize: LIMITS.local.maxHeaderBytes }, (request, response) => {
    inFlight++;
    route(request, response, routes, edge)
      .catch((error: Error) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`Local server error: ${error.message}`);
      })
      .finally(() => inFlight--);
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = `http://localhost:${port}`;
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    ...keyFileEnv(options.dataDir, { create: true }),
    ALLOWED_ORIGINS: [url, `http://127.0.0.1:${port}`, ...(options.allowedOrigins ?? [])].join(','),
    API_BASE_URL: `${url}${API_PREFIX}`,
    DESK_URL: `${url}${DESK_PATH}`,
    SITE_NAME: process.env.SITE_NAME ?? 'Marketing mit Herz',
    SITE_LANG: process.env.SITE_LANG ?? 'de',
    AUTHOR_EMAIL: process.env.AUTHOR_EMAIL ?? 'autorin@localhost',
    // As deployed: without a sender address, mail goes out from the author's.
    SENDER_EMAIL: process.env.SENDER_EMAIL ?? process.env.AUTHOR_EMAIL ?? 'leserpost@localhost',
    MAIL_TRANSPORT: 'outbox',
    OUTBOX_DIR: outboxDir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.env,
  });
  resetConfig();
  resetSecrets();
  resetDocumentClient();
  if (options.notifier) {
    const poller = await startStreamPoller({
      endpoint: dynamoEndpoint,
      tableName,
      startAt: options.notifier,
      failureDir: join(options.dataDir, 'failed'),
      onError: (error) => console.warn(`Notifier (local stream poller): ${error.message}`),
      onOutage: (error) =>
        console.warn(
          `Notifier (local stream poller): DynamoDB Local does not answer (${error.message}); waiting for it.`,
        ),
      onRecovery: () => console.log('Notifier (local stream poller): DynamoDB Local answers again.'),
    });
    stoppers.push(poller.stop);
  }

  return {
    url,
    apiUrl: `${url}${API_PREFIX}`,
    deskUrl: options.env?.DESK_URL ?? `${url}${DESK_PATH}`,
    tableName,
    dynamoEndpoint,
    dynamo,
    outboxDir,
    dataDir: options.dataDir,
    onStop: (stop) => stoppers.push(stop),
    inFlight: () => inFlight,
    stop: async () => {
      for (const stop of stoppers.reverse()) await stop();
      await closeServer(server);
      await dynamo?.stop();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function parseTarget(target = '/'): URL | undefined {
  try {
    return new URL(target, 'http://localhost');
  } catch {
    return undefined;
  }
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  extraRoutes: LocalRoute[],
  edge?: EdgeCache,
): Promise<void> {
  const url = parseTarget(request.url);
  // Node's parser lets an absolute-form target through that URL cannot read (`http://[::1/`):
  // API Gateway would refuse it, so the local server answers the API's 400, not a crash.
  if (!url) {
    const lang = pickLang(request.headers['accept-language'], config().siteLang);
    return writeResult(response, errorResponse(400, 'bad_request', lang), true);
  }
  if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`))
    return callHandler(request, response, url);
  // The author's desk, also at the root (on AWS it is the API's /desk).
  if (url.pathname === DESK_PATH || url.pathname.startsWith(`${DESK_PATH}/`))
    return callHandler(request, response, url, '');
  if (edge && url.pathname.startsWith(`${EDGE_PREFIX}/`)) return throughEdge(edge, request, response, url);
  for (const extra of extraRoutes) if (await extra(request, response, url)) return;
  if (url.pathname.startsWith('/widget/'))
    return serveStatic(response, url.pathname.slice(7), WIDGET_DIR, widgetCors(request.headers.origin));
  serveStatic(response, url.pathname);
}

/** The emulated edge: a cached public read never reaches the handler (x-cache tells which it was). */
async function throughEdge(
  edge: EdgeCache,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.slice(EDGE_PREFIX.length);
  const method = request.method ?? 'GET';
  const match = findRoute(ROUTES, method, path);
  if (method !== 'GET' || !('route' in match) || !match.route.edge) {
    // CloudFront has no behaviour for it: the widget sends writes to the API itself.
    response.writeHead(403, {
      'content-type': 'text/plain; charset=utf-8',
      'x-cache': 'Error from local edge',
    });
    response.end('Not served by the edge');
    return;
  }
  const key = edgeCacheKey(method, path, url.searchParams, request.headers.origin);
  const found = key ? edge.lookup(key) : { state: 'pass' as const };
  if (found.state === 'fresh' || found.state === 'stale') {
    const { answer, ageSeconds } = found;
    response.writeHead(answer.statusCode, {
      ...answer.headers,
      age: String(ageSeconds),
      'x-cache': found.state === 'fresh' ? 'Hit from local edge' : 'RefreshHit from local edge',
    });
    response.end(answer.body);
    return;
  }
  const { result, complete } = await invoke(request, url, path);
  if (key && complete)
    edge.store(key, {
      statusCode: result.statusCode ?? 200,
      headers: result.headers as never,
      body: result.body ?? '',
    });
  writeResult(
    response,
    { ...result, headers: { ...result.headers, 'x-cache': key ? 'Miss from local edge' : 'Pass' } },
    !complete,
  );
}

/** API Gateway picks the Lambda by route; unmatched paths go to the desk's catch-all or $default (meta). */
async function callHandler(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  prefix = API_PREFIX,
): Promise<void> {
  const { result, complete } = await invoke(request, url, url.pathname.slice(prefix.length) || '/');
  writeResult(response, result, !complete);
}

async function invoke(request: IncomingMessage, url: URL, path: string) {
  const match = findRoute(ROUTES, (request.method ?? 'GET').toUpperCase(), path);
  const group = 'route' in match ? match.route.group : unmatchedGroup(path);
  const handler = LOCAL_HANDLERS[group] ?? LOCAL_HANDLERS.meta!;
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  // An upload route (the desk's import and backup restore) takes a larger body than the rest.
  const limit = bodyLimitOf(ROUTES, (request.method ?? 'GET').toUpperCase(), path);
  const { body, complete } = await readBody(
    request,
    limit.bytes + 1,
    Math.max(LIMITS.local.drainBytes, limit.bytes + 1),
  );
  const event = toApiGatewayEvent({
    method: request.method ?? 'GET',
    path,
    rawQueryString: url.search.slice(1),
    headers,
    body: body.length > 0 ? body : undefined,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
  });
  return { result: await handler(event), complete };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The demo blog: `/` is the index, `/posts/<name>` a post, `/wuensche` the wish board, `/komplimente` the compliments. */
/**
 * As the widget's distribution answers: a blog origin may load the widget's module chunks (a
 * dynamic import from another origin is a CORS request).
 */
function widgetCors(origin: string | undefined): Record<string, string> {
  if (!origin || !config().allowedOrigins.includes(origin.toLowerCase())) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

function serveStatic(
  response: ServerResponse,
  pathname: string,
  dir = DEMO_DIR,
  extraHeaders: Record<string, string> = {},
): void {
  const candidates = [pathname === '/' ? '/index.html' : pathname, `${pathname.replace(/\/$/, '')}.html`];
  for (const candidate of candidates) {
    const file = normalize(join(dir, candidate));
    if (!file.startsWith(dir) || !existsSync(file) || !extname(file)) continue;
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...extraHeaders,
    });
    response.end(readFileSync(file));
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('Nicht gefunden / not found');
}
