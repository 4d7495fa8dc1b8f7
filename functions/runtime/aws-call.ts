/**
 * One signed AWS API call with node's fetch, for the small Secrets Manager client the Lambda bundles
 * use instead of the SDK's (lite-secrets-manager.ts; esbuild alias in lib/bundling.ts). The SDK
 * client brings its own copy of every command's schema, its error classes, endpoint rules and
 * package.json (about 13 KB per bundle); we make one call, so this file is what it costs here.
 *
 * What the SDK does for this call on Lambda, with the SDK's own parts where they exist: credentials
 * from the environment (as lambda-credentials.ts), the region from AWS_REGION, the endpoint from
 * AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL if set, else the regional one; Signature Version 4
 * by `@smithy/signature-v4` (already in every bundle through the DynamoDB client); a timeout per
 * attempt; clock-skew correction from the Date of an answer that says the signature's time is off;
 * an error named as AWS names it (e.g. ResourceNotFoundException).
 *
 * Retries (three attempts, jittered backoff) only for calls marked idempotent, and after an
 * ambiguous failure (timeout, connection reset: the request may have been carried out) only then.
 * A call that is not idempotent is tried again only when AWS answered that it did not act
 * (throttling, a skewed clock); anything else is the caller's to decide with its own guard.
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCall {
  /** Signing name, e.g. `secretsmanager`. */
  signingName: string;
  /** Endpoint host prefix, e.g. `secretsmanager`. */
  endpointPrefix: string;
  /** The suffix of AWS_ENDPOINT_URL_<…> the SDK reads for this service, e.g. `SECRETS_MANAGER`. */
  endpointEnv: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Safe to send twice (a read): only then is it retried after a timeout or a lost connection. */
  idempotent: boolean;
  /** Per attempt, default ATTEMPT_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const MAX_ATTEMPTS = 3;
/** Per attempt; a cold-start secret read that takes longer is better tried again. */
export const ATTEMPT_TIMEOUT_MS = 5_000;
const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|LimitExceededException$/;
const CLOCK_SKEW = /^(RequestTimeTooSkewed|RequestExpired|InvalidSignatureException|SignatureDoesNotMatch)$/;

/** Difference between AWS's clock and ours, learnt from a skew answer (as the SDK's systemClockOffset). */
let clockOffsetMs = 0;

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
  const signer = new SignatureV4({
    credentials: environmentCredentials(env),
    region,
    service: call.signingName,
    sha256: Sha256,
  });
  for (let attempt = 1; ; attempt++) {
    let error: Error;
    let retryable: boolean;
    try {
      const signed = await signer.sign(
        {
          method: 'POST',
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port ? Number(url.port) : undefined,
          path: url.pathname,
          query: {},
          headers: { ...call.headers, host: url.host },
          body: call.body,
        },
        { signingDate: new Date(Date.now() + clockOffsetMs) },
      );
      const { host: _host, ...headers } = signed.headers;
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: call.body,
        signal: AbortSignal.timeout(call.timeoutMs ?? ATTEMPT_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.ok) return text ? JSON.parse(text) : {};
      error = awsError(response.status, response.headers, text);
      const skewed = CLOCK_SKEW.test(error.name) && correctClock(response.headers.get('date'));
      // AWS answered and did not act: throttling, a busy service or a clock fixed just now.
      retryable = skewed || THROTTLING.test(error.name) || response.status === 429 || response.status === 503;
      if (!retryable && response.status >= 500) retryable = call.idempotent;
    } catch (thrown) {
      // No answer (timeout, connection refused or reset, DNS): the call may or may not have run.
      error = thrown as Error;
      retryable = call.idempotent;
    }
    if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
    await sleep(Math.random() * 100 * 2 ** attempt);
  }
}

/** Takes AWS's clock from the Date of a skew answer; true if that changed our offset. */
function correctClock(date: string | null): boolean {
  const server = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(server)) return false;
  const offset = server - Date.now();
  // Within the 5 minutes SigV4 allows, our clock was not the problem.
  if (Math.abs(offset - clockOffsetMs) < 60_000) return false;
  clockOffsetMs = offset;
  return true;
}

/** For tests: forget a learnt clock offset. */
export function resetClockOffset(): void {
  clockOffsetMs = 0;
}
