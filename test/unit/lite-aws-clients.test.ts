/**
 * The Lambda bundles send GetSecretValue and SES v2 SendEmail through functions/runtime/lite-*.ts
 * instead of the SDK clients (lib/bundling.ts). Here both the real SDK client and the lite one talk
 * to the same local endpoint, which checks every request's Signature Version 4 with the SDK's own
 * signer: the lite client must send what the SDK sends and read the answer as the SDK reads it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdkSecrets from '@aws-sdk/client-secrets-manager';
import * as sdkSes from '@aws-sdk/client-sesv2';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import * as liteSecrets from '../../functions/runtime/lite-secrets-manager';
import * as liteSes from '../../functions/runtime/lite-sesv2';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret', sessionToken: 'test-token' };
const region = 'eu-central-1';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

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
      const service = request.url!.startsWith('/v2/email') ? 'ses' : 'secretsmanager';
      seen.push({
        path: request.url!,
        headers: request.headers,
        body,
        signatureValid: await signatureValid(request, body, service),
      });
      const answer = answers.shift() ?? { status: 500, body: { message: 'no answer prepared' } };
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
    AWS_ENDPOINT_URL_SESV2: endpoint,
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

describe('SES v2 SendEmail with a raw message', () => {
  const raw = Buffer.from('From: a@example.org\r\nTo: b@example.org\r\nSubject: Grüße\r\n\r\nHallo\r\n');
  const input = {
    FromEmailAddress: 'a@example.org',
    Destination: { ToAddresses: ['b@example.org'] },
    Content: { Raw: { Data: raw } },
    ConfigurationSetName: 'leserpost',
  };
  const answer = { status: 200, body: { MessageId: 'm-1' } };
  const sdk = () => new sdkSes.SESv2Client(sdkConfig()).send(new sdkSes.SendEmailCommand(input));
  const lite = () => new liteSes.SESv2Client({}).send(new liteSes.SendEmailCommand(input));

  it('sends the request the SDK sends, correctly signed, and returns the message id', async () => {
    const { results, requests } = await both(answer, sdk, lite);
    expect((results[1] as { MessageId: string }).MessageId).toBe('m-1');
    expect((results[0] as { MessageId: string }).MessageId).toBe('m-1');
    const [viaSdk, viaLite] = requests;
    expect(viaLite!.signatureValid).toBe(true);
    expect(viaSdk!.signatureValid).toBe(true);
    expect(viaLite!.path).toBe(viaSdk!.path);
    expect(JSON.parse(viaLite!.body)).toEqual(JSON.parse(viaSdk!.body));
    expect(Buffer.from(JSON.parse(viaLite!.body).Content.Raw.Data, 'base64').equals(raw)).toBe(true);
    expect(viaLite!.headers.authorization).toContain(`/${region}/ses/aws4_request`);
  });

  it('fails with the error AWS names (a rejected message), as the SDK does', async () => {
    const rejected = {
      status: 400,
      headers: {
        'x-amzn-ErrorType': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/',
      },
      body: { message: 'Email address is not verified.' },
    };
    const { results } = await both(rejected, sdk, lite);
    expect((results[1] as Error).name).toBe('MessageRejected');
    expect((results[1] as Error).name).toBe((results[0] as Error).name);
    expect(seen).toHaveLength(2); // a client error is not retried
  });
});
