/**
 * The Lambda bundles send GetSecretValue through functions/runtime/lite-secrets-manager.ts instead
 * of the SDK client (lib/bundling.ts). Here both the real SDK client and the lite one talk to the
 * same local endpoint, which recomputes every request's Signature Version 4 over the headers it
 * claims to sign: the lite client must send what the SDK sends and read the answer as the SDK
 * reads it; and the call must time out, retry and correct a skewed clock as documented.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdkSecrets from '@aws-sdk/client-secrets-manager';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsCall, resetClockOffset } from '../../functions/runtime/aws-call';
import * as liteSecrets from '../../functions/runtime/lite-secrets-manager';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret', sessionToken: 'test-token' };
const region = 'eu-central-1';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown; delayMs?: number };

let server: Server;
let endpoint: string;
let seen: Seen[] = [];
let answers: Answer[] = [];

/** Recomputes the request's signature with the SDK's signer over the headers it claims to sign. */
async function signatureValid(request: IncomingMessage, body: string, service: string): Promise<boolean> {
  const authorization = String(request.headers.authorization ?? '');
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers = Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name])]));
  const amzDate = headers['x-amz-date']!;
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    {
      method: request.method!,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: request.url!,
      query: {},
      headers,
      body,
    },
    { signingDate },
  );
  const expected = /Signature=(\w+)/.exec(String(signed.headers.authorization))?.[1];
  return expected !== undefined && expected === /Signature=(\w+)/.exec(authorization)?.[1];
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', async () => {
      const service = 'secretsmanager';
      seen.push({
        path: request.url!,
        headers: request.headers,
        body,
        signatureValid: await signatureValid(request, body, service),
      });
      const answer: Answer = answers.shift() ?? { status: 500, body: { message: 'no answer prepared' } };
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      if (response.destroyed) return;
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The lite clients read what Lambda puts into the environment; the SDK clients get it passed.
  Object.assign(process.env, {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
  });
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  seen = [];
  answers = [];
});

const sdkConfig = () => ({ region, endpoint, credentials, maxAttempts: 3 });

/** Runs the same call through the SDK and the lite client; returns both results and both requests. */
async function both(answer: Answer, sdk: () => Promise<unknown>, lite: () => Promise<unknown>) {
  answers = [answer, answer];
  const results = [await sdk().catch((e: Error) => e), await lite().catch((e: Error) => e)];
  return { results, requests: seen };
}

describe('GetSecretValue', () => {
  const answer = {
    status: 200,
    body: { ARN: 'arn:x', Name: 'master', SecretString: 's3cr3t', CreatedDate: 1.7e9 },
  };
  const sdk = () =>
    new sdkSecrets.SecretsManagerClient(sdkConfig()).send(
      new sdkSecrets.GetSecretValueCommand({ SecretId: 'arn:x' }),
    );
  const lite = () =>
    new liteSecrets.SecretsManagerClient({}).send(
      new liteSecrets.GetSecretValueCommand({ SecretId: 'arn:x' }),
    );

  it('sends the request the SDK sends, correctly signed, and reads the secret', async () => {
    const { results, requests } = await both(answer, sdk, lite);
    const [fromSdk, fromLite] = results as { SecretString: string }[];
    expect(fromLite!.SecretString).toBe('s3cr3t');
    expect(fromLite!.SecretString).toBe(fromSdk!.SecretString);
    const [viaSdk, viaLite] = requests;
    expect(viaLite!.signatureValid).toBe(true);
    expect(viaSdk!.signatureValid).toBe(true);
    for (const field of ['content-type', 'x-amz-target', 'x-amz-security-token'] as const) {
      expect(viaLite!.headers[field]).toBe(viaSdk!.headers[field]);
    }
    expect([viaLite!.path, JSON.parse(viaLite!.body)]).toEqual([viaSdk!.path, JSON.parse(viaSdk!.body)]);
    expect(viaLite!.headers.authorization).toContain(`/${region}/secretsmanager/aws4_request`);
  });

  it('fails with the error AWS names, as the SDK does', async () => {
    const missing = { status: 400, body: { __type: 'ResourceNotFoundException', message: 'no such secret' } };
    const { results } = await both(missing, sdk, lite);
    expect((results[1] as Error).name).toBe('ResourceNotFoundException');
    expect((results[1] as Error).name).toBe((results[0] as Error).name);
  });

  it('tries again after a server error', async () => {
    answers = [{ status: 503, body: { message: 'busy' } }, answer];
    await expect(lite()).resolves.toMatchObject({ SecretString: 's3cr3t' });
    expect(seen).toHaveLength(2);
  });
});

describe('a signed call (functions/runtime/aws-call.ts)', () => {
  const call = (idempotent: boolean, timeoutMs = 300) =>
    awsCall({
      signingName: 'secretsmanager',
      endpointPrefix: 'secretsmanager',
      endpointEnv: 'SECRETS_MANAGER',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body: '{"SecretId":"arn:x"}',
      idempotent,
      timeoutMs,
    });
  const ok = { status: 200, body: { SecretString: 'ok' } };
  const hang = { status: 200, body: {}, delayMs: 2_000 };

  it('gives up an attempt that takes too long, and tries a read again', async () => {
    answers = [hang, ok];
    await expect(call(true)).resolves.toEqual({ SecretString: 'ok' });
    expect(seen).toHaveLength(2);
  });

  it('never sends a call that is not idempotent again after a timeout (it may have been carried out)', async () => {
    answers = [hang, ok];
    await expect(call(false)).rejects.toThrow(/abort|timeout/i);
    expect(seen).toHaveLength(1);
  });

  it('sends it again when AWS answered that it did not act (throttling)', async () => {
    answers = [{ status: 400, body: { __type: 'ThrottlingException', message: 'slow down' } }, ok];
    await expect(call(false)).resolves.toEqual({ SecretString: 'ok' });
    expect(seen).toHaveLength(2);
  });

  it("corrects a skewed clock from the Date of AWS's answer and signs with AWS's time", async () => {
    const awsTime = new Date(Date.now() + 20 * 60_000);
    answers = [
      {
        status: 400,
        headers: { date: awsTime.toUTCString() },
        body: { __type: 'InvalidSignatureException', message: 'Signature expired' },
      },
      ok,
    ];
    try {
      await expect(call(false)).resolves.toEqual({ SecretString: 'ok' });
      expect(seen).toHaveLength(2);
      expect(seen.every((request) => request.signatureValid)).toBe(true);
      const signedAt = (request: Seen) => {
        const d = String(request.headers['x-amz-date']);
        return Date.parse(
          `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
        );
      };
      expect(Math.abs(signedAt(seen[0]!) - Date.now())).toBeLessThan(60_000);
      expect(Math.abs(signedAt(seen[1]!) - awsTime.getTime())).toBeLessThan(60_000);
    } finally {
      resetClockOffset();
    }
  });
});
