/**
 * The author's command line against the local stack's files (local.json, keys/), as a
 * person runs it: `npm run admin -- pending`, `approve <id>`, and clear errors.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handler as comments } from '../../functions/handlers/comments';
import { resetConfig } from '../../functions/runtime/config';
import { localStackFiles, runAdmin } from '../support/admin-cli';
import { cookieValue, DESK_URL, deskGet, deskPost, SESSION_COOKIE } from '../support/desk';
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

describe('npm run admin as the README shows it', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const invocations = [...readme.matchAll(/npm run admin -- ([^`\n]*)/g)].map((match) => match[1]!);

  it('help names every command and option the README gives the command line', () => {
    const commands = new Set(invocations.map((line) => line.split(' ')[0]!));
    for (const also of /# also: ([a-z, -]+)/.exec(readme)![1]!.split(', ')) commands.add(also);
    commands.delete('help');
    const options = new Set(invocations.flatMap((line) => line.match(/--[a-z][a-z-]+/g) ?? []));
    expect([...commands]).toEqual(expect.arrayContaining(['pending', 'approve', 'compliment', 'desk-link']));
    expect([...options]).toEqual(expect.arrayContaining(['--table', '--notifier', '--emails', '--stack']));
    const help = admin('help');
    expect(help.code).toBe(0);
    for (const command of commands) expect(help.out).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    for (const option of options) expect(help.out).toContain(option);
  }, 120_000);

  it('compliment, spam and delete act by id as approve does', async () => {
    const post = async (name: string) =>
      (
        await call(comments, {
          method: 'POST',
          path: '/comments',
          json: validComment({ page: '/posts/cli-actions', name }),
        })
      ).body.comment.id as string;
    const [kept, junk, gone] = [
      await post('Kim Kompliment'),
      await post('Sam Spam'),
      await post('Del Delete'),
    ];
    expect(admin('compliment', kept).out).toContain(`freigegeben und als Kompliment gesammelt: ${kept}`);
    expect(admin('spam', junk).out).toContain(`als Spam abgelegt: ${junk}`);
    expect(admin('delete', gone).out).toContain(`gelöscht: ${gone}`);
    expect(await visible('/posts/cli-actions')).toEqual([kept]);
    const items = await stack.dump();
    const item = (id: string) => items.find((entry) => entry.pk === `COMMENT#${id}`);
    expect(item(kept)).toMatchObject({ status: 'approved', compliment: true });
    expect(item(junk)).toMatchObject({ status: 'spam' });
    expect(item(gone)).toMatchObject({ status: 'deleted' });
  }, 120_000);

  it('desk-link prints a login link to the desk that signs her in once', async () => {
    // Locally the desk is the local server's /desk; deployed, --desk-url names it.
    expect(admin('desk-link').out.trim()).toMatch(/^https:\/\/blog\.example\/desk\/login\/confirm\?t=\S+$/);
    // With DESK_URL, `npm start` writes the desk's address into local.json, and desk-link uses it.
    const file = join(dataDir, 'local.json');
    const local = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(local), deskUrl: 'https://desk.herz.example/desk' }));
    try {
      expect(admin('desk-link').out).toMatch(/^https:\/\/desk\.herz\.example\/desk\/login\/confirm\?t=/);
    } finally {
      writeFileSync(file, local);
    }
    const printed = admin('desk-link', '--desk-url', DESK_URL);
    expect(printed.code).toBe(0);
    const link = new URL(printed.out.trim());
    expect(`${link.origin}${link.pathname}`).toBe(`${DESK_URL}/login/confirm`);
    const token = link.searchParams.get('t')!;
    const before = process.env.DESK_URL;
    process.env.DESK_URL = DESK_URL;
    resetConfig();
    try {
      const opened = await deskGet(`/desk/login/confirm?t=${encodeURIComponent(token)}`);
      expect(opened.status).toBe(200);
      expect(opened.text).toContain('<form method="post" action="/desk/login/confirm"');
      const first = await deskPost('/desk/login/confirm', { t: token });
      expect(first.status).toBe(303);
      const session = cookieValue(first.cookies, SESSION_COOKIE)!;
      expect((await deskGet('/desk', session)).status).toBe(200);
      expect((await deskPost('/desk/login/confirm', { t: token })).status).toBe(400);
    } finally {
      if (before === undefined) delete process.env.DESK_URL;
      else process.env.DESK_URL = before;
      resetConfig();
    }
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

  it('mail-retry on a deployed table wants the notifier to invoke, and names the option (README, Deploy)', () => {
    const env = { ...deployed, LESERPOST_DATA: join(dataDir, 'no-local-stack') };
    const refused = adminWith(env, 'mail-retry', '--table', stack.tableName, '--region', 'eu-central-1');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--notifier <NotifierFunctionName>');
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
