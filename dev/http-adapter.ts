/**
 * Turns a Node HTTP request into an API Gateway HTTP API payload 2.0 event (the shape of the real
 * events in the shared fixtures) and the handler's result back into an HTTP response. The local
 * stack and the integration tests call the very handlers Lambda runs through this.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LIMITS } from '../functions/core/limits';

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

/** API Gateway joins repeated query keys with commas. */
function joinRepeated(params: URLSearchParams): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const [key, value] of params) joined[key] = key in joined ? `${joined[key]},${value}` : value;
  return joined;
}

/** Reads a request body, stopping early past what API Gateway would forward. */
export async function readBody(request: IncomingMessage, maxBytes = LIMITS.bodyBytes * 4): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body ?? '';
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  // API Gateway turns the result's cookies into one Set-Cookie header each.
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
