/**
 * The author's command line against the local stack's files (local.json, keys/), as a
 * person runs it: `npm run admin -- pending`, `approve <id>`, and clear errors.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { handler as comments } from '../../functions/handlers/comments';
import { localStackFiles, runAdmin } from '../support/admin-cli';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';
import { validWish, wishApi } from '../support/wishes';

let stack: TestStack;
let dataDir: string;

beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'all' });
  dataDir = localStackFiles(stack, 'leserpost-admin-');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = (...args: string[]) => runAdmin(dataDir, args, 60_000);
/** The command as on a machine without `npm start`'s files: `env` names what it has instead. */
const adminWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  runAdmin(env.LESERPOST_DATA!, args, 60_000, env);

const visible = async (page: string) =>
  (
    (await call(comments, { method: 'GET', path: '/comments', rawQueryString: `page=${page}` })).body
      .comments as {
      id: string;
    }[]
  ).map((comment) => comment.id);

describe('npm run admin', () => {
  it('lists what waits, with the reader’s email, and approves by id', async () => {
    const posted = await call(comments, {
      method: 'POST',
      path: '/comments',
      json: validComment({
        page: '/posts/admin',
        name: 'Clara Kommandozeile',
        email: 'clara.cli@example.org',
      }),
    });
    const id = posted.body.comment.id as string;

    const pending = admin('pending', 'comments');
    expect(pending.code).toBe(0);
    expect(pending.out).toContain(id);
    expect(pending.out).toContain('Clara Kommandozeile <clara.cli@example.org>');

    const approved = admin('approve', id);
    expect(approved.code).toBe(0);
    expect(approved.out).toContain(`Kommentar freigegeben: ${id}`);
    expect(approved.out).toContain('Kommentar freigegeben');
    expect(await visible('/posts/admin')).toContain(id);

    const again = admin('approve', id);
    expect(again.code).toBe(0);
    expect(again.out).toContain('Schon erledigt');
    expect(admin('pending', 'comments').out).not.toContain(id);
  }, 120_000);

  it('moves a wish to written with its article', async () => {
    const id = (await wishApi.post(validWish({ topic: 'Wünsche per Kommandozeile' }))).body.wish.id as string;
    expect(admin('pending', 'wishes').out).toContain('Wünsche per Kommandozeile');
    expect(admin('wish-accept', id).code).toBe(0);
    const foreign = admin('wish-written', id, 'https://elsewhere.example/post');
    expect(foreign.code).toBe(1);
    expect(foreign.err).toContain('gehört nicht zum Blog');
    const written = admin('wish-written', id, 'https://blog.example/2026/11/cli', '2026-11-21');
    expect(written.code).toBe(0);
    const item = (await stack.dump()).find((entry) => entry.pk === `WISH#${id}`)!;
    expect(item).toMatchObject({ status: 'written', articleUrl: 'https://blog.example/2026/11/cli' });
  }, 120_000);

  it('explains mistakes and exits non-zero', () => {
    const unknown = admin('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unbekannter Befehl');
    const badId = admin('spam', 'not-an-id');
    expect(badId.code).toBe(2);
    expect(badId.err).toContain('keine gültige Kennung');
    const missing = admin('delete', '01JD0000000000000000000000');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Nichts gefunden');
    const help = admin('help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Kommentare / comments');
    expect(help.out).toContain('approve <id>');
    const noStack = admin('pending', '--data', join(dataDir, 'nowhere'));
    expect(noStack.code).toBe(2);
    expect(noStack.err).toContain('npm start');
  }, 120_000);
});

describe('npm run admin with --table and --region (a deployed table)', () => {
  // No local stack to find: the table is reached with the SDK's own endpoint and credentials,
  // as on AWS (here DynamoDB Local, named the way the SDK reads an endpoint from the environment).
  const deployed = {
    AWS_ENDPOINT_URL_DYNAMODB: process.env.DYNAMODB_ENDPOINT,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: '',
  };

  it('approves by id in that table', async () => {
    const posted = await call(comments, {
      method: 'POST',
      path: '/comments',
      json: validComment({ page: '/posts/deployed', name: 'Dora Deploy' }),
    });
    const id = posted.body.comment.id as string;
    const env = { ...deployed, LESERPOST_DATA: join(dataDir, 'no-local-stack') };
    const approved = adminWith(env, 'approve', id, '--table', stack.tableName, '--region', 'eu-central-1');
    expect(approved.code).toBe(0);
    expect(approved.out).toContain(`Kommentar freigegeben: ${id}`);
    expect(await visible('/posts/deployed')).toContain(id);
  });

  it('wants --region with --table, and names it', () => {
    const env = { ...deployed, LESERPOST_DATA: join(dataDir, 'no-local-stack') };
    delete (env as NodeJS.ProcessEnv).AWS_REGION;
    const refused = adminWith(env, 'pending', '--table', stack.tableName);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--table braucht auch --region.');
  });
});

describe('npm run admin -- import', () => {
  const fixture = join(__dirname, '../../../shared/fixtures/import/disqus/schnack-disqus.xml');

  it('brings a Disqus export over and says what it did; a second run stores nothing twice', async () => {
    const first = admin('import', 'disqus', fixture);
    // Progress goes to stderr, the summary to stdout.
    expect(first.err).toContain('5 von 5 (100 %)');
    expect(first.code).toBe(0);
    expect(first.out).toContain('5 Kommentare übernommen');
    expect((await visible('/foo')).length).toBeGreaterThan(0);
    const second = admin('import', 'disqus', fixture);
    expect(second.out).toContain('0 Kommentare übernommen');
    expect(second.out).toContain('5 waren schon da');
  });

  it('names what a file of the other kind is instead of importing nothing', async () => {
    const wordpress = join(__dirname, '../../../shared/fixtures/import/wordpress/isso-wordpress.xml');
    const wrong = admin('import', 'disqus', wordpress);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('ist ein WordPress-Export, kein Disqus-Export');
    expect(wrong.err).toContain('import wordpress');
    expect(wrong.out).not.toContain('übernommen');
    expect(await visible('/2014/test/')).toHaveLength(0);
  });

  it('names a missing file or an unknown format', () => {
    expect(admin('import', 'blogger', fixture).err).toContain('wordpress oder disqus');
    const missing = admin('import', 'wordpress', 'nowhere.xml');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nowhere.xml');
  });
});
