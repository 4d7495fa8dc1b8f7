/**
 * `npm run admin -- export [--emails] > file.json` and `admin restore file.json`, as a person runs
 * them against two local stacks (local.json and keys/ each): the same use cases as the desk.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handler as comments } from '../../functions/handlers/comments';
import { actOnCompliment } from '../../functions/usecases/compliments';
import { moderateComment } from '../../functions/usecases/moderation';
import { collectReaderData } from '../../functions/usecases/reader-data';
import { localStackFiles, runAdmin } from '../support/admin-cli';
import { call, createTestStack, resetRuntime, type TestStack, validComment } from '../support/stack';

jest.setTimeout(180_000);

const PAGE = '/posts/kommandozeile';
const CLARA = 'clara.sicherung@example.org';

interface Side {
  stack: TestStack;
  env: Record<string, string | undefined>;
  dataDir: string;
}
let from: Side;
let into: Side;
const dirs: string[] = [];

async function newSide(): Promise<Side> {
  const stack = await createTestStack({ MODERATION: 'all' });
  const dataDir = localStackFiles(stack, 'leserpost-backup-');
  dirs.push(dataDir);
  return { stack, env: { ...process.env }, dataDir };
}

function use(side: Side): void {
  Object.assign(process.env, side.env);
  resetRuntime();
}

const admin = (side: Side, ...args: string[]) => runAdmin(side.dataDir, args, 120_000);

beforeAll(async () => {
  from = await newSide();
  const posted = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: PAGE, email: CLARA, text: 'Claras Kommentar von der Kommandozeile.' }),
  });
  await moderateComment(posted.body.comment.id, 'compliment', new Date());
  // Starred comments are private; shown publicly, it must be public after the restore too.
  await actOnCompliment('comment', posted.body.comment.id, 'public', new Date());
  into = await newSide();
}, 120_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('admin export and restore', () => {
  it('exports JSON to stdout, without addresses unless --emails', () => {
    const plain = admin(from, 'export');
    expect(plain.code).toBe(0);
    const file = JSON.parse(plain.out);
    expect(file).toMatchObject({ format: 'leserpost-backup', version: 1, withEmails: false });
    expect(file.comments).toHaveLength(1);
    expect(plain.out).not.toContain('@');
    expect(plain.err).toContain('ohne E-Mail-Adressen');
    const withEmails = admin(from, 'export', '--emails');
    expect(JSON.parse(withEmails.out).comments[0].email).toBe(CLARA);
  });

  it('restores the file into an empty stack, where her address finds her data; again writes nothing', async () => {
    const file = join(into.dataDir, 'sicherung.json');
    writeFileSync(file, admin(from, 'export', '--emails').out);
    const restored = admin(into, 'restore', file);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.out).toContain('1 Kommentare');
    use(into);
    const data = await collectReaderData(CLARA);
    expect(data.comments.map((c) => c.text)).toEqual(['Claras Kommentar von der Kommandozeile.']);
    const listed = await call(comments, { method: 'GET', path: '/compliments' });
    expect(listed.body.comments).toHaveLength(1);
    const again = admin(into, 'restore', file);
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 Einträge geschrieben');
  });

  it('refuses a file of another version, naming it, and a stack with other comments', async () => {
    const file = join(into.dataDir, 'v2.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(admin(from, 'export').out), version: 2 }));
    const refused = admin(into, 'restore', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('nur Version 1');
    // `from` gets a comment that the file of `into` does not hold.
    const intoFile = join(into.dataDir, 'into.json');
    writeFileSync(intoFile, admin(into, 'export').out);
    use(from);
    await call(comments, { method: 'POST', path: '/comments', json: validComment({ page: PAGE }) });
    const foreign = admin(from, 'restore', intoFile);
    expect(foreign.code).toBe(1);
    expect(foreign.err).toContain('nichts wurde gespeichert');
  });
});
