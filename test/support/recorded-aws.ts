/**
 * AWS answers for the real SDK clients, without AWS: a `requestHandler` that answers each request
 * from recorded responses in the shapes AWS documents (test/fixtures/aws, each file names its
 * source). The SDK still serialises, signs and parses everything itself, so a client is tested as
 * it runs, and every request it made is kept for assertions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export interface RecordedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

export interface SeenRequest {
  method: string;
  hostname: string;
  path: string;
  /** The query protocol's Action, or the REST path, or the JSON protocol's target. */
  operation: string;
  body: string;
}

/** Picks the answer for a request (by its operation) or undefined for an unexpected one. */
export type Answerer = (request: SeenRequest) => RecordedAnswer | undefined;

export function recordedHandler(answer: Answerer) {
  const seen: SeenRequest[] = [];
  return {
    seen,
    metadata: { handlerProtocol: 'h1' },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
    async handle(request: {
      method: string;
      hostname: string;
      path: string;
      headers: Record<string, string>;
      body?: unknown;
    }) {
      const body =
        typeof request.body === 'string'
          ? request.body
          : request.body instanceof Uint8Array
            ? Buffer.from(request.body).toString('utf8')
            : '';
      const action = /(?:^|&)Action=(\w+)/.exec(body)?.[1];
      const operation = action ?? request.headers['x-amz-target'] ?? `${request.method} ${request.path}`;
      const entry = {
        method: request.method,
        hostname: request.hostname,
        path: request.path,
        operation,
        body,
      };
      seen.push(entry);
      const recorded = answer(entry);
      if (!recorded) throw new Error(`No recorded AWS answer for ${operation}`);
      return {
        response: {
          statusCode: recorded.status ?? 200,
          headers: { 'x-amzn-requestid': 'recorded', ...recorded.headers },
          body: Readable.from([Buffer.from(recorded.body)]),
        },
      };
    },
  };
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'aws');

/** A recorded answer body; `{{NAME}}` placeholders are filled from `values` (e.g. local URLs). */
export function fixture(name: string, values: Record<string, string> = {}): string {
  return readFileSync(join(FIXTURES, name), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`${name} needs a value for {{${key}}}`);
    return values[key]!;
  });
}

export const RECORDED_CREDENTIALS = { accessKeyId: 'AKIDRECORDED', secretAccessKey: 'recorded' };
