/**
 * The one CORS policy. On AWS, API Gateway answers preflights from it (lib/constructs/public-api.ts
 * corsPreflight); locally, and for whatever reaches a handler, functions/http/cors.ts answers from
 * it. Plain data, so the CDK app and the Lambdas read the same values
 * (test/infra/cors.test.ts compares the template with what a handler answers).
 */
export const CORS_POLICY = {
  allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['content-type', 'idempotency-key', 'accept-language'],
  exposeHeaders: ['retry-after', 'content-language'],
  maxAgeSeconds: 600,
} as const;
