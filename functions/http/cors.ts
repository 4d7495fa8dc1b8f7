import type { Request } from './request';
import { json, type Response } from './response';

export function isOriginAllowed(origin: string, allowedOrigins: readonly string[]): boolean {
  return allowedOrigins.includes(origin.toLowerCase());
}

export function corsHeaders(
  origin: string | undefined,
  allowedOrigins: readonly string[],
): Record<string, string> {
  if (!origin || !isOriginAllowed(origin, allowedOrigins)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'retry-after, content-language',
    vary: 'Origin',
  };
}

/** Answers a CORS preflight: 204 for a configured origin, 403 for any other. */
export function preflight(request: Request, allowedOrigins: readonly string[]): Response {
  if (!request.origin || !isOriginAllowed(request.origin, allowedOrigins)) {
    return json(403, { error: { code: 'origin_not_allowed', message: 'Origin not allowed.', fields: [] } });
  }
  return {
    statusCode: 204,
    headers: {
      ...corsHeaders(request.origin, allowedOrigins),
      'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers': 'content-type, idempotency-key, accept-language',
      'access-control-max-age': '600',
    },
    body: '',
  };
}
