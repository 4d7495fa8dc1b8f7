/**
 * One signed AWS API call with node's own crypto and fetch, for the two small clients the Lambda
 * bundles use instead of the SDK's (lite-secrets-manager.ts, lite-sesv2.ts; esbuild aliases in
 * lib/bundling.ts). Each SDK client brings its own copy of every command's schema, its error
 * classes, endpoint rules and package.json (Secrets Manager about 13 KB per bundle, SES v2 about
 * 60 KB plus the REST protocol); we make one call of each, so this file is what they cost here.
 *
 * It does what the SDK does for these calls on Lambda: credentials from the environment (as
 * lambda-credentials.ts), the region from AWS_REGION, the endpoint from AWS_ENDPOINT_URL_<SERVICE>
 * or AWS_ENDPOINT_URL if set, else the regional one; Signature Version 4; up to three attempts
 * with jittered exponential backoff for throttling, 5xx and network errors; an error named as
 * AWS names it (e.g. ResourceNotFoundException, MessageRejected).
 */
import { createHash, createHmac } from 'node:crypto';

export interface AwsCall {
  /** Signing name, e.g. `secretsmanager`, `ses`. */
  signingName: string;
  /** Endpoint host prefix, e.g. `secretsmanager`, `email`. */
  endpointPrefix: string;
  /** The suffix of AWS_ENDPOINT_URL_<…> the SDK reads for this service, e.g. `SECRETS_MANAGER`. */
  endpointEnv: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const MAX_ATTEMPTS = 3;
const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|LimitExceededException$/;

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function named(name: string, message: string, status?: number): Error {
  const error = new Error(message) as Error & { $metadata?: { httpStatusCode?: number } };
  error.name = name;
  if (status) error.$metadata = { httpStatusCode: status };
  return error;
}

function environmentCredentials(env: NodeJS.ProcessEnv): Credentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey) {
    throw named('CredentialsProviderError', 'Unable to find environment variable credentials.');
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

/**
 * Signs a request with Signature Version 4 (header form, body hashed). Returns the headers to
 * send: the given ones plus host, x-amz-date, x-amz-security-token and authorization.
 */
export function signRequest(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  credentials: Credentials,
  region: string,
  signingName: string,
  now: Date,
): Record<string, string> {
  const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
    host: request.url.host,
    'x-amz-date': amzDate,
  };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    request.method,
    request.url.pathname.split('/').map(encodeSegment).join('/'),
    '',
    ...names.map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${day}/${region}/${signingName}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), signingName),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** RFC 3986 encoding of a path segment, applied twice as SigV4 wants for every service but S3. */
function encodeSegment(segment: string): string {
  const once = encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return encodeURIComponent(once);
}

function endpoint(call: AwsCall, region: string, env: NodeJS.ProcessEnv): URL {
  const configured = env[`AWS_ENDPOINT_URL_${call.endpointEnv}`] || env.AWS_ENDPOINT_URL;
  const base =
    configured ||
    `https://${call.endpointPrefix}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  return new URL(call.path, base);
}

/** The error AWS answered with, named by its type (JSON `__type` or the x-amzn-ErrorType header). */
function awsError(status: number, headers: Headers, text: string): Error {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON (e.g. a proxy's HTML page): the status names it.
  }
  const type = String(headers.get('x-amzn-errortype') ?? body.__type ?? body.code ?? `Http${status}Error`);
  const name = type.split(':')[0]!.split('#').pop()!;
  return named(name, String(body.message ?? body.Message ?? `AWS answered ${status}.`), status);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the call and returns the parsed JSON answer; throws the named AWS error otherwise. */
export async function awsCall(call: AwsCall, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) throw named('Error', 'Region is missing: set AWS_REGION.');
  const url = endpoint(call, region, env);
  const credentials = environmentCredentials(env);
  for (let attempt = 1; ; attempt++) {
    let error: Error;
    let retryable: boolean;
    try {
      const headers = signRequest(
        { method: 'POST', url, headers: call.headers, body: call.body },
        credentials,
        region,
        call.signingName,
        new Date(),
      );
      const response = await fetch(url, { method: 'POST', headers, body: call.body });
      const text = await response.text();
      if (response.ok) return text ? JSON.parse(text) : {};
      error = awsError(response.status, response.headers, text);
      retryable = response.status >= 500 || response.status === 429 || THROTTLING.test(error.name);
    } catch (thrown) {
      // fetch rejects only when no answer came (connection refused or reset, DNS): worth a retry.
      error = thrown as Error;
      retryable = true;
    }
    if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
    await sleep(Math.random() * 100 * 2 ** attempt);
  }
}
