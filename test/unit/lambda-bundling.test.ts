/**
 * The Lambda bundles replace several SDK dependencies (lib/bundling.ts). These tests build a real
 * bundle with those options and run it in a fresh node process, as Lambda would.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 as SdkSha256 } from '@smithy/core/checksum';
import { build } from 'esbuild';
import LRUCache from '../../functions/runtime/lru-cache';
import { Sha256 } from '../../functions/runtime/sha256';
import { LAMBDA_ESBUILD_OPTIONS } from '../../lib/bundling';

const ROOT = join(__dirname, '../..');

describe('the Lambda bundle of an SDK client', () => {
  let dir: string;
  let bundle: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leserpost-bundling-'));
    bundle = join(dir, 'probe.js');
    // A client with no credentials configured, as in functions/runtime/dynamo.ts on AWS.
    const probe = `
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      const client = new DynamoDBClient({ region: 'eu-central-1' });
      client.config.credentials().then(
        (c) => console.log(JSON.stringify({ accessKeyId: c.accessKeyId, sessionToken: c.sessionToken })),
        (e) => console.log(JSON.stringify({ error: e.name })),
      );`;
    await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
      external: [...LAMBDA_ESBUILD_OPTIONS.external],
      absWorkingDir: ROOT,
      stdin: { contents: probe, resolveDir: ROOT, loader: 'ts' },
      outfile: bundle,
      logLevel: 'error',
    });
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>) => {
    const child = spawnSync(process.execPath, [bundle], {
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      encoding: 'utf8',
      timeout: 15_000,
    });
    return JSON.parse(child.stdout.trim().split('\n').pop()!);
  };

  it('takes the credentials Lambda puts in the environment', () => {
    expect(
      run({
        AWS_ACCESS_KEY_ID: 'AKIDLAMBDA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'session',
      }),
    ).toEqual({ accessKeyId: 'AKIDLAMBDA', sessionToken: 'session' });
  });

  it('reads nothing but the environment (no profile files, SSO or instance metadata)', () => {
    // The full default chain would take these; a Lambda has no such file, and the bundle must not look.
    mkdirSync(join(dir, '.aws'));
    writeFileSync(
      join(dir, '.aws/credentials'),
      '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = x\n',
    );
    expect(run({ HOME: dir })).toEqual({ error: 'CredentialsProviderError' });
  });

  it('leaves out the default credential chain and the event-stream codec', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).not.toContain('credential-provider-ini');
    expect(code).not.toContain('sso-oidc');
    expect(code).not.toContain(':event-type');
  });
});

describe('the Lambda bundle of the secret and mail clients', () => {
  it('sends GetSecretValue through the lite client, SendEmail through the real SES v2 client', async () => {
    // What secrets.ts and the notifier's transport import, bundled as deployed.
    const probe = `
      export { secretOf } from './functions/runtime/secrets';
      export { sesTransport } from './functions/notifier/transport';`;
    const result = await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
      external: [...LAMBDA_ESBUILD_OPTIONS.external],
      absWorkingDir: ROOT,
      stdin: { contents: probe, resolveDir: ROOT, loader: 'ts' },
      write: false,
      logLevel: 'error',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain('secretsmanager.GetSecretValue');
    // The SDK clients' schemas name their service namespaces: the notifier's real SES v2 client
    // (no reader waits on its cold start), and no Secrets Manager client anywhere.
    expect(code).not.toContain('com.amazonaws.secretsmanager');
    expect(code).toContain('com.amazonaws.sesv2');
  }, 120_000);
});

describe('the SHA-256 that replaces @smithy/core/checksum in the bundles', () => {
  it('hashes and signs exactly as the SDK class does', async () => {
    const inputs = ['', 'abc', new Uint8Array([0, 255, 7]), 'Grüße'];
    for (const secret of [undefined, 'key', new Uint8Array([1, 2, 3])]) {
      const ours = new Sha256(secret);
      const sdk = new SdkSha256(secret);
      for (const input of inputs) {
        ours.update(input);
        sdk.update(input as Uint8Array); // its type says bytes; the signer passes strings too
      }
      expect(Buffer.from(await ours.digest()).toString('hex')).toBe(
        Buffer.from(await sdk.digest()).toString('hex'),
      );
    }
    // A plain hash can be read and then go on; reset starts over.
    const hash = new Sha256();
    hash.update('a');
    const first = Buffer.from(await hash.digest()).toString('hex');
    hash.update('bc');
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    hash.reset();
    hash.update('a');
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe(first);
  });
});

describe('the LRU cache that replaces mnemonist in the bundles', () => {
  it('evicts the least recently used entry past its capacity', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now more recent than b
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
  });

  it('peeks without refreshing, overwrites in place and clears', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.peek('a')).toBe(1); // a stays the oldest
    cache.set('c', 3);
    expect(cache.has('a')).toBe(false);
    cache.set('b', 20);
    expect([cache.get('b'), cache.size]).toEqual([20, 2]);
    cache.clear();
    expect([cache.size, cache.get('b')]).toEqual([0, undefined]);
  });
});
