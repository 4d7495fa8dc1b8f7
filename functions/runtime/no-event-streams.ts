/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles only (esbuild alias in
 * lib/bundling.ts). The SDK's protocol layer loads it with `import()` for operations that stream
 * events; none of ours do (DynamoDB, Secrets Manager and SES v2 calls are plain request and
 * response), yet a CommonJS bundle would carry its ~15 KB. Should a streaming operation ever be
 * called, this fails loudly instead of misbehaving.
 */
function unavailable(): never {
  throw new Error('Event streams are not bundled into this Lambda (see lib/bundling.ts).');
}

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = unavailable;
