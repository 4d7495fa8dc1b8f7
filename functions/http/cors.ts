import { originOf } from '../core/page';
import { CORS_POLICY } from './cors-policy';
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
    'access-control-expose-headers': CORS_POLICY.exposeHeaders.join(', '),
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
      'access-control-allow-methods': CORS_POLICY.allowMethods.join(', '),
      'access-control-allow-headers': CORS_POLICY.allowHeaders.join(', '),
      'access-control-max-age': String(CORS_POLICY.maxAgeSeconds),
    },
    body: '',
  };
}

/** Whether an Origin header is the API's own (its pages post to themselves). */
export function isOwnOrigin(origin: string, apiBaseUrl: string): boolean {
  const own = originOf(apiBaseUrl);
  return own !== undefined && own === origin.toLowerCase();
}
