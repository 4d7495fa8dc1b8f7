import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LIMITS } from '../core/limits';
import { errorText, fieldText, type Lang } from '../core/messages';
import type { FieldIssue } from '../core/schemas';

export type Response = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Response {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/**
 * Headers of a public read that CloudFront and browsers may keep (LIMITS.edgeCache). Vary: Origin,
 * because the CORS answer depends on it; the body never depends on the reader's language.
 */
export function publicCacheHeaders(): Record<string, string> {
  const { maxAgeSeconds, staleWhileRevalidateSeconds } = LIMITS.edgeCache;
  return {
    'cache-control': `public, max-age=${maxAgeSeconds}, s-maxage=${maxAgeSeconds}, stale-while-revalidate=${staleWhileRevalidateSeconds}`,
    vary: 'Origin',
  };
}

export function html(statusCode: number, body: string, headers: Record<string, string> = {}): Response {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      ...SECURITY_HEADERS,
      ...headers,
    },
    body,
  };
}

/** A JSON file the browser saves (a reader's data export): never cached, never sniffed. */
export function jsonAttachment(body: unknown, filename: string): Response {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
    },
    body: JSON.stringify(body, null, 2),
  };
}

/**
 * An RSS feed. no-store only as the default, like json(): the feeds are public edge reads
 * (routes.ts), so the endpoint replaces it with the shared cache headers on every 200.
 */
export function rss(body: string): Response {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/rss+xml; charset=utf-8',
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
    },
    body,
  };
}

/**
 * The one error shape of the API:
 * `{ "error": { "code", "message", "requestId", "fields": [{ "field", "code", "message" }] } }`.
 */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId?: string;
    fields: { field: string; code: string; message: string }[];
  };
}

export function errorResponse(
  statusCode: number,
  code: string,
  lang: Lang,
  fields: FieldIssue[] = [],
  headers: Record<string, string> = {},
  requestId?: string,
): Response {
  const body: ErrorBody = {
    error: {
      code,
      message: errorText(code, lang),
      ...(requestId ? { requestId } : {}),
      fields: fields.map((issue) => ({ ...issue, message: fieldText(issue.code, lang) })),
    },
  };
  return json(statusCode, body, { 'content-language': lang, ...headers });
}

/** How an endpoint answers a refusal or failure: the JSON shape above, or a page (http/html-errors.ts). */
export type ErrorAnswer = typeof errorResponse;
