/**
 * Turns an API Gateway HTTP API (payload 2.0) event into the few things a handler needs. Any other
 * event shape (REST v1, a test event) is refused with a clear 400, never a crash.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LIMITS } from '../core/limits';
import { type Lang, pickLang } from '../core/messages';
import { bodyLimitOf, type RouteDefinition } from '../routes';
import { HttpError } from './errors';

export interface Request {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body as text; empty when there is none (and on a file upload's route: see `bytes`). */
  body: string;
  lang: Lang;
  origin: string | undefined;
  sourceIp: string;
  requestId: string;
  pathParams: Record<string, string>;
  /** Cookies by name (API Gateway passes them apart from the headers); only the desk reads any. */
  cookies: Record<string, string>;
  /** The body as bytes, on upload routes only (routes.ts `uploadBytes`; `body` is then empty). */
  bytes?: Buffer;
}

export function isHttpApiV2Event(event: unknown): event is APIGatewayProxyEventV2 {
  if (typeof event !== 'object' || event === null) return false;
  const candidate = event as Partial<APIGatewayProxyEventV2>;
  return candidate.version === '2.0' && typeof candidate.requestContext?.http?.method === 'string';
}

const isText = (value: unknown) => value === undefined || value === null || typeof value === 'string';

/**
 * The first field this module reads whose type API Gateway never sends (a hand-made test event, a
 * misconfigured integration): refused by name instead of crashing deeper down as a 500.
 */
function misshapenField(event: APIGatewayProxyEventV2): string | undefined {
  const { http } = event.requestContext;
  const candidates: [string, boolean][] = [
    ['rawPath', isText(event.rawPath)],
    ['requestContext.http.path', isText(http.path)],
    ['rawQueryString', isText(event.rawQueryString)],
    ['body', isText(event.body)],
    [
      'headers',
      event.headers == null || (typeof event.headers === 'object' && !Array.isArray(event.headers)),
    ],
    [
      'cookies',
      event.cookies == null ||
        (Array.isArray(event.cookies) && event.cookies.every((c) => typeof c === 'string')),
    ],
    ['requestContext.http.sourceIp', isText(http.sourceIp)],
    ['requestContext.requestId', isText(event.requestContext.requestId)],
  ];
  return candidates.find(([, fits]) => !fits)?.[0];
}

/** `routes`: the routes of the Lambda (endpoint's), whose upload routes take larger bodies. */
export function parseRequest(event: unknown, siteLang: Lang, routes: readonly RouteDefinition[]): Request {
  if (!isHttpApiV2Event(event)) throw new HttpError(400, 'unsupported_event');
  const misshapen = misshapenField(event);
  if (misshapen) throw new HttpError(400, 'unsupported_event', [{ field: misshapen, code: 'wrong_type' }]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  const lang = pickLang(headers['accept-language'], siteLang);
  const rawQuery = event.rawQueryString ?? '';
  if (rawQuery.length > LIMITS.queryStringChars)
    throw new HttpError(414, 'uri_too_long', [{ field: 'query', code: 'too_long' }]);
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath ?? event.requestContext.http.path ?? '/';
  const limit = bodyLimitOf(routes, method, path);
  const bytes = bodyBytes(event, limit);
  refuseContentEncoding(headers['content-encoding'], bytes);
  return {
    method,
    path,
    query: strictParams(rawQuery, 'query'),
    headers,
    // A file upload's body is binary (gzip): only its bytes are kept.
    body: limit.upload ? '' : decodeText(bytes),
    ...(limit.upload ? { bytes } : {}),
    lang,
    origin: headers.origin?.toLowerCase(),
    sourceIp: event.requestContext.http.sourceIp ?? '',
    requestId: event.requestContext.requestId ?? '',
    pathParams: {},
    cookies: parseCookies(event.cookies ?? (headers.cookie ? headers.cookie.split(';') : [])),
  };
}

/** The reader's language, known even when the rest of the request is refused (a body too large). */
export function langOfEvent(event: unknown, siteLang: Lang): Lang {
  const headers = isHttpApiV2Event(event) ? (event.headers ?? {}) : {};
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'accept-language');
  const value = name ? headers[name] : undefined;
  return pickLang(typeof value === 'string' ? value : undefined, siteLang);
}

function parseCookies(pairs: readonly string[]): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0) cookies[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return cookies;
}

function bodyBytes(event: APIGatewayProxyEventV2, limit: { bytes: number; upload: boolean }): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > limit.bytes) {
    // A file upload's route names the file; every other route its body.
    if (limit.upload) throw new HttpError(413, 'file_too_large', [{ field: 'file', code: 'too_large' }]);
    throw new HttpError(413, 'payload_too_large', [{ field: 'body', code: 'too_large' }]);
  }
  return bytes;
}

/**
 * API Gateway hands a body on as it came: a packed one (gzip, br) would be read as text and refused
 * as broken JSON, and a body merely labelled packed would pass as plain. Either way the header is
 * what the client must change (RFC 9110: 415 for a content coding the server does not take).
 */
function refuseContentEncoding(coding: string | undefined, bytes: Buffer): void {
  const name = (coding ?? '').trim().toLowerCase();
  if (bytes.length > 0 && name !== '' && name !== 'identity')
    throw new HttpError(415, 'unsupported_encoding', [{ field: 'content-encoding', code: 'invalid_choice' }]);
}

function decodeText(bytes: Buffer): string {
  if (bytes.length === 0) return '';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid_encoding', [{ field: 'body', code: 'invalid' }]);
  }
}

/** A body of a type the route does not take: the Content-Type header is the field to change. */
export const unsupportedType = () =>
  new HttpError(415, 'unsupported_media_type', [{ field: 'content-type', code: 'invalid_choice' }]);

/** The JSON body of a request as a plain object; anything else is a 4xx naming what is wrong. */
export function jsonBody(request: Request): Record<string, unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw unsupportedType();
  let parsed: unknown;
  try {
    // Keys such as __proto__ become plain own properties here; strict schemas then refuse them.
    parsed = JSON.parse(request.body);
  } catch {
    throw new HttpError(400, 'invalid_json', [{ field: 'body', code: 'invalid' }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid_input', [{ field: 'body', code: 'wrong_type' }]);
  }
  return parsed as Record<string, unknown>;
}

/** A form body (the confirmation pages post one). */
export function formBody(request: Request): Record<string, string> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw unsupportedType();
  return strictParams(request.body, 'body');
}

/**
 * `a=1&b=2` read as URLSearchParams reads it (`+` is a space, the last of a repeated name counts),
 * except that an escape which is no UTF-8 (`%`, `%FF`, overlong `%C0%AF`, half a surrogate pair
 * `%ED%A0%80`) is refused naming its parameter (`where` when the name itself is broken), where
 * URLSearchParams would store U+FFFD in its place. A browser never sends one; the JSON body's
 * bytes are held to the same rule (decodeText).
 */
function strictParams(text: string, where: string): Record<string, string> {
  const params = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodePart(at < 0 ? pair : pair.slice(0, at), where);
    params.set(name, decodePart(at < 0 ? '' : pair.slice(at + 1), name));
  }
  return Object.fromEntries(params);
}

function decodePart(part: string, field: string): string {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    throw new HttpError(400, 'invalid_encoding', [{ field, code: 'invalid' }]);
  }
}
