/**
 * Keys separated by purpose, against DynamoDB Local: what the comments Lambda holds (the hash keys
 * and the public sealing key, lib/key-grants.ts) cannot open an address it stored; the notifier's
 * key can. And `reseal`: legacy v1 addresses become v2, idempotently and resumably.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { emailKeyPair, emailPublicKeyOf, openEmailWith } from '../../functions/core/email-seal';
import { deriveHashKeys, deriveKeys, emailLookupHash, encryptEmail } from '../../functions/core/privacy';
import { handler as comments } from '../../functions/handlers/comments';
import { documentClient } from '../../functions/runtime/dynamo';
import { openEmail } from '../../functions/runtime/email-keys';
import { secretValueEnv } from '../../functions/runtime/secret-names';
import { keys } from '../../functions/store/keys';
import { trustedSince } from '../../functions/store/readers';
import { replaceSealed } from '../../functions/store/reseal';
import { resealLegacyEmails } from '../../functions/usecases/reseal';
import {
  call,
  createTestStack,
  resetRuntime,
  type TestStack,
  testKeyEnv,
  validComment,
} from '../support/stack';

let stack: TestStack;
let keyEnv: Record<string, string>;
const seedName = secretValueEnv('sealPrivateKey');

beforeAll(async () => {
  stack = await createTestStack();
  keyEnv = testKeyEnv();
});

/** Exactly the key material the comments Lambda's environment names (see lib/key-grants.ts). */
async function asCommentsLambda() {
  for (const name of Object.keys(keyEnv)) delete process.env[name];
  process.env[secretValueEnv('hashKeys')] = keyEnv[secretValueEnv('hashKeys')]!;
  process.env.EMAIL_SEAL_PUBLIC_KEY = await emailPublicKeyOf(keyEnv[seedName]!);
  resetRuntime();
}

function asNotifier() {
  delete process.env.EMAIL_SEAL_PUBLIC_KEY;
  Object.assign(process.env, keyEnv);
  resetRuntime();
}

const itemOf = async (id: string) =>
  (await stack.dump()).find((item) => item.id === id && item.kind === 'comment')!;

describe('the comments Lambda', () => {
  it('seals what it stores, and nothing it holds opens it again; the notifier’s key does', async () => {
    await asCommentsLambda();
    const email = 'geheim.leserin@example.org';
    const posted = await call(comments, { method: 'POST', path: '/comments', json: validComment({ email }) });
    expect(posted.status).toBe(201);
    const sealed = String((await itemOf(posted.body.comment.id)).emailEnc);
    expect(sealed).toMatch(/^v2\./);
    expect(sealed).not.toContain('geheim');

    // Its own runtime refuses: it was given no opening key at all.
    await expect(openEmail(sealed)).rejects.toThrow(/sealPrivateKey/);
    // Every key it holds, tried as the seed of the opening key pair: none opens the address.
    const hashRoot = process.env[secretValueEnv('hashKeys')]!;
    const candidates = [
      hashRoot,
      process.env.EMAIL_SEAL_PUBLIC_KEY!,
      ...Object.values(deriveHashKeys(hashRoot)).flatMap((key) => [
        key.toString('hex'),
        key.toString('base64url'),
      ]),
    ];
    for (const candidate of candidates) {
      await expect(openEmailWith(sealed, await emailKeyPair(candidate))).rejects.toThrow();
    }

    asNotifier();
    expect(await openEmail(sealed)).toBe(email);
  });
});

describe('npm run admin -- reseal', () => {
  const legacySecret = 'the-one-master-secret-of-before-0123456789abcdef';
  const legacy = deriveKeys(legacySecret);
  const ids = Array.from({ length: 7 }, (_, i) => `01KRESEAL${String(i).padStart(17, '0')}`);
  const address = (i: number) => `Leserin.${i}@Example.org`;

  beforeAll(async () => {
    asNotifier();
    process.env[secretValueEnv('legacyMaster')] = legacySecret;
    resetRuntime();
    for (const [i, id] of ids.entries()) {
      await documentClient().send(
        new PutCommand({
          TableName: stack.tableName,
          Item: {
            ...keys.comment(id),
            kind: 'comment',
            id,
            emailEnc: encryptEmail(address(i), legacy.emailSeal),
            emailHash: emailLookupHash(address(i), legacy.hash.emailLookup),
          },
        }),
      );
    }
    // An address trusted under its old lookup hash.
    await documentClient().send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...keys.trustedEmail(emailLookupHash(address(0), legacy.hash.emailLookup)), trustedAt: 'x' },
      }),
    );
  });
  afterAll(() => {
    delete process.env[secretValueEnv('legacyMaster')];
    resetRuntime();
  });

  it('opens v1 addresses while the legacy key is configured', async () => {
    expect(await openEmail(String((await itemOf(ids[1]!)).emailEnc))).toBe(address(1));
  });

  it('turns every v1 address into v2 with a new lookup hash, resumes after an interruption, and changes nothing when run again', async () => {
    const cursors: unknown[] = [];
    // Interrupted after the first page, as by a lost connection.
    await expect(
      resealLegacyEmails({
        pageSize: 3,
        saveCursor: (cursor) => {
          cursors.push(cursor);
          throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const afterFirst = (await stack.dump()).filter((item) => String(item.emailEnc ?? '').startsWith('v2.'));
    expect(afterFirst.length).toBeGreaterThan(0);
    expect(afterFirst.length).toBeLessThan(ids.length);

    const resumed = await resealLegacyEmails({ pageSize: 3, start: cursors[0] as never });
    expect(resumed.unreadable).toEqual([]);
    for (const [i, id] of ids.entries()) {
      const item = await itemOf(id);
      expect(String(item.emailEnc)).toMatch(/^v2\./);
      expect(await openEmail(String(item.emailEnc))).toBe(address(i));
      expect(item.emailHash).toBe(
        emailLookupHash(address(i), deriveHashKeys(keyEnv[secretValueEnv('hashKeys')]!).emailLookup),
      );
    }
    // Trust carried over to the new lookup hash.
    expect(await trustedSince(String((await itemOf(ids[0]!)).emailHash))).not.toBeNull();

    const before = JSON.stringify(await stack.dump());
    const again = await resealLegacyEmails({ pageSize: 3 });
    expect(again.resealed).toBe(0);
    expect(JSON.stringify(await stack.dump())).toBe(before);
  });

  it('writes only if the sealed value is still the one it read (a concurrent change wins)', async () => {
    const item = await itemOf(ids[2]!);
    const stale = { key: keys.comment(ids[2]!), emailEnc: 'v1.stale.value.read-before', emailHash: 'old' };
    expect(await replaceSealed(stale, 'v2.new.value', 'new')).toBe(false);
    expect((await itemOf(ids[2]!)).emailEnc).toBe(item.emailEnc);
  });

  it('leaves v1 closed once the legacy key is gone', async () => {
    delete process.env[secretValueEnv('legacyMaster')];
    resetRuntime();
    await expect(openEmail(encryptEmail('a@b.de', legacy.emailSeal))).rejects.toThrow(/envelope/);
  });
});
