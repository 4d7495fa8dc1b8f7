/**
 * One CORS policy (functions/http/cors-policy.ts) for both places that answer preflights: API
 * Gateway on AWS (the synthesised CorsConfiguration) and the handlers locally (the local stack's
 * handlers, dev/handlers.ts). Both must allow the same origins, methods, headers and max age.
 */

import { LOCAL_HANDLERS } from '../../dev/handlers';
import { toApiGatewayEvent } from '../../dev/http-adapter';
import { resetConfig } from '../../functions/runtime/config';
import { FULL_CONTEXT, resourceNamed, synthLeserpost } from './synth';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean)
    .sort();

it('API Gateway and the local handlers answer preflights alike', async () => {
  const synthesised = synthLeserpost(FULL_CONTEXT);
  const [, api] = resourceNamed(synthesised.apiTemplate, 'AWS::ApiGatewayV2::Api', 'ApiHttpApi');
  const cors = api.Properties.CorsConfiguration as {
    AllowOrigins: string[];
    AllowMethods: string[];
    AllowHeaders: string[];
    ExposeHeaders: string[];
    MaxAge: number;
  };

  Object.assign(process.env, { TABLE_NAME: 'unused', ALLOWED_ORIGINS: FULL_CONTEXT.allowedOrigins });
  resetConfig();
  for (const [group, handler] of Object.entries(LOCAL_HANDLERS)) {
    for (const origin of cors.AllowOrigins) {
      const result = (await handler!(
        toApiGatewayEvent({
          method: 'OPTIONS',
          path: '/comments',
          headers: { origin, 'access-control-request-method': 'POST' },
        }),
      )) as { statusCode: number; headers: Record<string, string> };
      const headers = result.headers;
      expect({ group, status: result.statusCode }).toEqual({ group, status: 204 });
      expect(headers['access-control-allow-origin']).toBe(origin);
      expect(list(headers['access-control-allow-methods'])).toEqual(list(cors.AllowMethods.join(',')));
      expect(list(headers['access-control-allow-headers'])).toEqual(list(cors.AllowHeaders.join(',')));
      expect(list(headers['access-control-expose-headers'])).toEqual(list(cors.ExposeHeaders.join(',')));
      expect(Number(headers['access-control-max-age'])).toBe(cors.MaxAge);
    }
    // An origin API Gateway would not allow, the handler refuses too.
    const other = (await handler!(
      toApiGatewayEvent({
        method: 'OPTIONS',
        path: '/comments',
        headers: { origin: 'https://evil.example' },
      }),
    )) as { statusCode: number; headers: Record<string, string> };
    expect(cors.AllowOrigins).not.toContain('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  }
}, 120_000);
