/**
 * Turns a Node HTTP request into an API Gateway HTTP API payload 2.0 event (the shape of the real
 * events in the shared fixtures) and the handler's result back into an HTTP response. The local
 * stack and the integration tests call the very handlers Lambda runs through this.
 */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LIMITS } from '../functions/core/limits';
import { errorResponse } from '../functions/http/response';

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context?: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

let requestCounter = 0;

export interface EventInput {
  method: string;
  path: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  sourceIp?: string;
}

/** Builds the event API Gateway would send for this request. Text bodies stay text, others base64. */
export function toApiGatewayEvent(input: EventInput): APIGatewayProxyEventV2 {
  const now = new Date();
  const headers = Object.fromEntries(
    Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const bodyBuffer =
    input.body === undefined ? undefined : Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body);
  const isText =
    bodyBuffer !== undefined &&
    /^(application\/(json|x-www-form-urlencoded)|text\/)/i.test(headers['content-type'] ?? '');
  const requestId = `local-${now.getTime().toString(36)}-${(++requestCounter).toString(36)}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: input.path,
    rawQueryString: input.rawQueryString ?? '',
    cookies: headers.cookie ? headers.cookie.split(/;\s*/) : undefined,
    headers,
    queryStringParameters: input.rawQueryString
      ? joinRepeated(new URLSearchParams(input.rawQueryString))
      : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: input.method.toUpperCase(),
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body:
      bodyBuffer === undefined
        ? undefined
        : isText
          ? bodyBuffer.toString('utf8')
          : bodyBuffer.toString('base64'),
    isBase64Encoded: bodyBuffer !== undefined && !isText,
  } as APIGatewayProxyEventV2;
}

/**
 * API Gateway joins repeated query keys with commas. A Map, not `key in {}`: a key every object
 * has (`constructor`, `__proto__`) is a parameter like any other, not Object's own property.
 */
function joinRepeated(params: URLSearchParams): Record<string, string> {
  const joined = new Map<string, string>();
  for (const [key, value] of params) {
    const before = joined.get(key);
    joined.set(key, before === undefined ? value : `${before},${value}`);
  }
  return Object.fromEntries(joined);
}

/**
 * Reads a request body, keeping only one byte more than the API takes (so the handler answers its
 * own 413) and dropping the rest as it arrives: the keep-alive connection stays usable for the next
 * request. Past `drainBytes` it stops reading; `complete: false` then says to close the connection.
 */
export function readBody(
  request: IncomingMessage,
  keepBytes = LIMITS.bodyBytes + 1,
  drainBytes: number = LIMITS.local.drainBytes,
): Promise<{ body: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    const finish = (complete: boolean) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      request.off('error', reject);
      resolve({ body: Buffer.concat(chunks), complete });
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (kept < keepBytes) {
        const part = chunk.subarray(0, keepBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (seen > drainBytes) {
        request.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    // A client that gives up mid-body: answer what came (nobody reads it) instead of hanging.
    const onClose = () => finish(false);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('close', onClose);
    request.once('error', reject);
  });
}

export function writeResult(
  response: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  closeConnection = false,
): void {
  const body = result.body ?? '';
  const headers: Record<string, string | string[]> = {
    ...(result.headers as Record<string, string>),
    ...(closeConnection ? { connection: 'close' } : {}),
  };
  // API Gateway turns the result's cookies into one Set-Cookie header each.
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/**
 * What the local server answers when Node's parser refuses a request before any handler sees it
 * (headers or query string over LIMITS.local.maxHeaderBytes, malformed HTTP): the API's JSON error
 * shape instead of Node's empty answer. The connection is closed, as the parser lost its place.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const headerTooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = headerTooLarge ? 431 : 400;
  const lang = process.env.SITE_LANG === 'en' ? 'en' : 'de';
  const result = errorResponse(status, headerTooLarge ? 'header_too_large' : 'bad_request', lang);
  const body = Buffer.from(result.body ?? '');
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    ...Object.entries(result.headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${body.length}`,
    'connection: close',
  ];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
}
