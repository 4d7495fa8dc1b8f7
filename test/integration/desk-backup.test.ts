/**
 * Sicherung on the desk: a stack filled as readers and the author would (threads, her reply, held
 * and spam comments, a placeholder, wishes in several states with votes, a credit, compliments),
 * exported through the desk, restored into a second, empty table with its own keys: readers see
 * the same, the desk lists the same, addresses only when she asked for them. Real handlers on
 * DynamoDB Local.
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { LIMITS } from '../../functions/core/limits';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as desk } from '../../functions/handlers/desk';
import { classify } from '../../functions/notifier/handler';
import { readerNotifications } from '../../functions/notifier/reader-mails';
import { linkKey } from '../../functions/runtime/keys';
import { listComplimentCollection } from '../../functions/store/compliments';
import { exportBackup } from '../../functions/usecases/backup';
import { actOnCompliment, addHandCompliment } from '../../functions/usecases/compliments';
import { enterWishByHand, logInWithLink, replyAsAuthor, setAuthorLabel } from '../../functions/usecases/desk';
import { moderateComment, moderateWish } from '../../functions/usecases/moderation';
import { collectReaderData } from '../../functions/usecases/reader-data';
import { mergeWishes } from '../../functions/usecases/wishes';
import { csrfIn, DESK_ORIGIN, DESK_URL, deskGet, deskPost, SESSION_COOKIE } from '../support/desk';
import {
  call,
  createTestStack,
  resetRuntime,
  TEST_ORIGIN,
  type TestStack,
  validComment,
} from '../support/stack';
import { acceptedWish, newVoterId, validWish, wishApi } from '../support/wishes';

// Filling and restoring several stacks takes a while on a busy machine.
jest.setTimeout(240_000);

const P1 = '/posts/sicherung-eins';
const P2 = '/posts/sicherung-zwei';
const ARTICLE = '/2026/11/nein-sagen/';
const ANNA = 'anna.sicherung@example.org';
const now = new Date('2026-11-30T01:00:00Z');

interface Side {
  stack: TestStack;
  env: Record<string, string | undefined>;
  session: string;
  csrf: string;
}
let source: Side;
let target: Side;
let third: Side;

/** Points the handlers at one of the stacks (its table and its keys). */
function use(side: Side): void {
  Object.assign(process.env, side.env);
  resetRuntime();
}

async function newSide(): Promise<Side> {
  const stack = await createTestStack({ DESK_URL, MODERATION: 'all' });
  const env = { ...process.env };
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  const csrf = csrfIn((await deskGet('/desk/backup', login.sessionId)).text);
  return { stack, env, session: login.sessionId, csrf };
}

async function comment(overrides: Record<string, unknown>): Promise<string> {
  const response = await call(comments, { method: 'POST', path: '/comments', json: validComment(overrides) });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.comment.id as string;
}

async function fill(): Promise<void> {
  await setAuthorLabel('Jana, Autorin');
  const a = await comment({ page: P1, email: ANNA, name: 'Anna', text: 'Annas Frage zum Nein-Sagen.' });
  await moderateComment(a, 'compliment', now);
  const b = await comment({ page: P1, name: 'Jan', text: 'Jans Antwort an Anna.', parentId: a });
  await moderateComment(b, 'approve', now);
  const reply = await replyAsAuthor(b, 'Danke euch beiden!', now);
  if (!reply.ok) throw new Error(reply.problem);
  await comment({ page: P1, name: 'Wartend', text: 'Noch nicht freigegeben.' });
  const spam = await comment({ page: P1, name: 'Spam', text: 'Billige Uhren hier.' });
  await moderateComment(spam, 'spam', now);
  const f = await comment({ page: P2, email: ANNA, name: 'Anna', text: 'Später gelöscht.' });
  await moderateComment(f, 'approve', now);
  const g = await comment({ page: P2, name: 'Greta', text: 'Antwort auf Gelöschtes.', parentId: f });
  await moderateComment(g, 'compliment', new Date(now.getTime() + 1000));
  await moderateComment(f, 'delete', now);
  // Her collection: `a` starred and private, `g` starred and shown publicly, two by hand.
  expect(await actOnCompliment('comment', g, 'public', now)).toEqual({ ok: true });
  const hand = async (form: Record<string, string>) => {
    const added = await addHandCompliment(form, now);
    if (!added.ok) throw new Error(JSON.stringify(added.fields));
  };
  await hand({
    text: 'Dein Vortrag hat mir Mut gemacht.',
    from: 'Petra',
    source: 'Workshop in Köln',
    date: '2026-10-02',
  });
  await hand({
    text: 'Öffentlich: danke für die Liste!',
    from: 'Ben',
    source: 'per Mail',
    date: '2026-10-03',
    public: '1',
  });

  const popular = await acceptedWish({ email: ANNA, topic: 'Wie sage ich Nein zu Kundinnen?' });
  for (let i = 0; i < 3; i++) await wishApi.vote(popular, newVoterId());
  const planned = await acceptedWish({ topic: 'Preise erhöhen ohne Angst' });
  await wishApi.vote(planned, newVoterId());
  await moderateWish(planned, 'plan', {}, now);
  const written = await acceptedWish({ topic: 'Nein sagen im Erstgespräch' });
  await moderateWish(written, 'written', { articleUrl: `${TEST_ORIGIN}${ARTICLE}` }, now);
  const duplicate = await acceptedWish({ topic: 'Wie sage ich Nein, bitte?' });
  await wishApi.vote(duplicate, newVoterId());
  await mergeWishes(duplicate, popular, now);
  const declined = (await wishApi.post(validWish({ topic: 'Etwas ganz anderes bitte' }))).body.wish.id;
  await moderateWish(declined, 'decline', {}, now);
  await wishApi.post(validWish({ topic: 'Ein ganz neuer Wunsch' }));
  await enterWishByHand({ topic: 'Von Hand: Akquise im Winter', name: 'Bettina' }, now);
}

/** The desk's download, unpacked as the browser saves it. */
async function exportFrom(side: Side, emails: boolean) {
  use(side);
  const response = await deskPost(
    '/desk/backup',
    { csrf: side.csrf, ...(emails ? { emails: '1' } : {}) },
    side.session,
  );
  return response;
}

function fileOf(response: { text: string }): Buffer {
  return gunzipSync(Buffer.from(response.text, 'base64'));
}

/** A browser's file upload: multipart/form-data with the form token, the file and the button. */
async function upload(side: Side, file: Buffer, action: 'check' | 'restore', filename = 'backup.json') {
  use(side);
  const boundary = `----leserpost${randomBytes(8).toString('hex')}`;
  const part = (head: string, body: Buffer | string) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
  const body = Buffer.concat([
    part('Content-Disposition: form-data; name="csrf"', side.csrf),
    part(
      `Content-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/json`,
      file,
    ),
    part('Content-Disposition: form-data; name="do"', action),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return call(desk as never, {
    method: 'POST',
    path: '/desk/backup/restore',
    body,
    headers: {
      origin: DESK_ORIGIN,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: `${SESSION_COOKIE}=${side.session}`,
    },
  });
}

/** What readers see, through the public handlers, and her private compliment collection. */
async function readerView(side: Side) {
  use(side);
  const get = async (handler: typeof comments, path: string, query = '') =>
    (await call(handler, { method: 'GET', path, rawQueryString: query })).body;
  return {
    p1: await get(comments, '/comments', `page=${encodeURIComponent(P1)}`),
    p2: await get(comments, '/comments', `page=${encodeURIComponent(P2)}&order=newest`),
    counts: await get(
      comments,
      '/comments/counts',
      `pages=${encodeURIComponent(P1)},${encodeURIComponent(P2)}`,
    ),
    compliments: await get(comments, '/compliments'),
    // Her private collection (every entry, with its public mark and private source).
    collection: await listComplimentCollection({ limit: 100 }),
    byVotes: (await wishApi.list('sort=votes')).body,
    newest: (await wishApi.list('sort=newest')).body,
    credit: (await wishApi.credit(ARTICLE)).body,
  };
}

/** The ids each desk list shows, tab by tab. */
async function deskView(side: Side) {
  use(side);
  const ids = (html: string) =>
    [...html.matchAll(/\b([0-9A-HJKMNP-TV-Z]{26})\b/g)].map((m) => m[1]).join(' ');
  const view: Record<string, string> = {};
  for (const status of ['approved', 'pending', 'spam'])
    view[`comments:${status}`] = ids((await deskGet(`/desk/comments?status=${status}`, side.session)).text);
  for (const status of ['new', 'accepted', 'planned', 'written', 'declined', 'spam', 'merged'])
    view[`wishes:${status}`] = ids((await deskGet(`/desk/wishes?status=${status}`, side.session)).text);
  view.inbox = ids((await deskGet('/desk', side.session)).text);
  return view;
}

beforeAll(async () => {
  source = await newSide();
  await fill();
  target = await newSide();
  third = await newSide();
}, 240_000);

describe('the backup page', () => {
  it('is in the navigation and offers the download with the warning and the upload', async () => {
    use(source);
    const page = await deskGet('/desk/backup', source.session);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/desk/backup" aria-current="page">Sicherung</a>');
    expect(page.text).toContain('name="emails"');
    expect(page.text).toContain('Wer die Datei hat, hat die Adressen.');
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect((await deskGet('/desk/backup?lang=en', source.session)).text).toContain('Download backup');
  });
});

describe('export and restore', () => {
  it('downloads a gzip JSON attachment named by the day, in the versioned format', async () => {
    const response = await exportFrom(source, false);
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename=leserpost-backup-\d{4}-\d{2}-\d{2}\.json$/,
    );
    const file = JSON.parse(fileOf(response).toString('utf8'));
    expect(file).toMatchObject({ format: 'leserpost-backup', version: 1, withEmails: false });
    expect(file.site).toMatchObject({ name: 'Testblog', lang: 'de' });
    expect(file.desk).toEqual({ authorLabel: 'Jana, Autorin' });
    expect(new Set(file.comments.map((c: { status: string }) => c.status))).toEqual(
      new Set(['approved', 'pending', 'spam', 'deleted']),
    );
    expect(file.comments.find((c: { byAuthor?: boolean }) => c.byAuthor)).toMatchObject({
      authorLabel: 'Jana, Autorin',
      text: 'Danke euch beiden!',
    });
    expect(file.compliments).toHaveLength(4);
    expect(file.compliments.map((c: { source: string; public: boolean }) => [c.source, c.public])).toEqual([
      ['comment', true],
      ['comment', false],
      ['hand', true],
      ['hand', false],
    ]);
    expect(file.compliments.find((c: { from?: string }) => c.from === 'Petra')).toEqual({
      source: 'hand',
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      text: 'Dein Vortrag hat mir Mut gemacht.',
      from: 'Petra',
      where: 'Workshop in Köln',
      complimentedAt: '2026-10-02T12:00:00.000Z',
      createdAt: now.toISOString(),
      public: false,
    });
    expect(file.wishes.find((w: { status: string }) => w.status === 'written').articleUrl).toBe(
      `${TEST_ORIGIN}${ARTICLE}`,
    );
  });

  it('without the tick holds no address, no seal and no hash of this stack', async () => {
    const text = fileOf(await exportFrom(source, false)).toString('utf8');
    expect(text).not.toContain('@');
    const secrets = new Set<string>();
    for (const item of await source.stack.dump())
      for (const name of ['emailEnc', 'emailHash', 'ipHash', 'editKeyHash', 'readerKeyHash', 'voterHash'])
        if (typeof item[name] === 'string' && (item[name] as string).length > 8)
          secrets.add(item[name] as string);
    expect(secrets.size).toBeGreaterThan(5);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/emailEnc|emailHash|ipHash|voterHash/);
  });

  it('restores into an empty stack: readers and the desk see exactly the same', async () => {
    const before = await readerView(source);
    const deskBefore = await deskView(source);
    const file = fileOf(await exportFrom(source, false));

    const checked = await upload(target, file, 'check');
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('Die Datei ist in Ordnung');
    expect(await target.stack.dump()).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ kind: 'comment' })]),
    );

    const restored = await upload(target, file, 'restore');
    expect(restored.status).toBe(200);
    expect(restored.text).toContain('Wiederhergestellt.');
    expect(await readerView(target)).toEqual(before);
    // The merged wish still follows its original: its wisher hears when that is written.
    const mergeLinks = async (side: Side) =>
      (await side.stack.dump())
        .filter((item) => item.kind === 'merged-wish')
        .map(({ pk, sk, wishId }) => ({ pk, sk, wishId }));
    expect(await mergeLinks(source)).toHaveLength(1);
    expect(await mergeLinks(target)).toEqual(await mergeLinks(source));
    expect(before.p1.comments).toHaveLength(3);
    // Only what she marked public is public; the private ones are in her collection only.
    expect(JSON.stringify(before.compliments)).toContain('Antwort auf Gelöschtes.');
    expect(JSON.stringify(before.compliments)).toContain('Öffentlich: danke für die Liste!');
    expect(JSON.stringify(before.compliments)).not.toMatch(/Annas Frage|Mut gemacht|Workshop|per Mail/);
    expect(before.collection).toMatchObject({ cursor: null });
    expect((before.collection as { entries: unknown[] }).entries).toHaveLength(4);
    expect(before.byVotes.wishes.length).toBeGreaterThanOrEqual(3);
    expect(await deskView(target)).toEqual(deskBefore);
    // The notifier sends nothing for what a restore wrote: no mail per comment and wish to her,
    // none to readers about replies of long ago.
    const written = (await target.stack.dump()).filter(
      (item) => item.kind === 'comment' || item.kind === 'wish' || item.kind === 'compliment',
    );
    expect(written.filter((item) => item.kind === 'compliment')).toHaveLength(2);
    for (const item of written) {
      const record = { eventName: 'INSERT', dynamodb: { NewImage: marshall(item) } } as never;
      expect(classify(record)).toBeUndefined();
      expect(readerNotifications(record)).toEqual([]);
    }
    use(target);
    const settings = await deskGet('/desk/settings', target.session);
    expect(settings.text).toContain('value="Jana, Autorin"');
  });

  it('keeps the votes as vote items, as many as the count (a later merge moves them)', async () => {
    use(target);
    const board = (await wishApi.list('sort=votes')).body.wishes as { id: string; votes: number }[];
    const [top] = board;
    expect(top!.votes).toBe(4);
    const items = (await target.stack.dump()).filter(
      (item) => item.kind === 'vote' && item.wishId === top!.id,
    );
    expect(items).toHaveLength(4);
  });

  it('refuses to restore into a stack that holds other comments, and stores nothing', async () => {
    const file = fileOf(await exportFrom(source, false));
    use(third);
    await comment({ page: P1, name: 'Fremd', text: 'Schon da.' });
    const before = await third.stack.dump();
    const refused = await upload(third, file, 'restore');
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('nichts wurde gespeichert');
    expect((await third.stack.dump()).length).toBe(before.length);
  });

  it('refuses a stack that holds only a compliment she entered by hand, and stores nothing', async () => {
    const file = fileOf(await exportFrom(source, false));
    const fourth = await newSide();
    use(fourth);
    expect(await addHandCompliment({ text: 'Schon hier, von Hand.' }, now)).toMatchObject({ ok: true });
    const before = await fourth.stack.dump();
    const refused = await upload(fourth, file, 'restore');
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Komplimente');
    expect((await fourth.stack.dump()).length).toBe(before.length);
  });

  it('run again with the same file (an interrupted restore) writes nothing twice', async () => {
    const file = fileOf(await exportFrom(source, false));
    const before = await target.stack.dump();
    const again = await upload(target, file, 'restore');
    expect(again.status).toBe(200);
    expect(again.text).toContain('0 Einträge geschrieben');
    const after = await target.stack.dump();
    expect(after.length).toBe(before.length);
    expect(await readerView(target)).toEqual(await readerView(source));
  });
});

describe('with addresses', () => {
  let withEmails: Buffer;
  let fresh: Side;

  beforeAll(async () => {
    withEmails = fileOf(await exportFrom(source, true));
    fresh = await newSide();
  });

  it('puts the addresses in the clear, and only when ticked', () => {
    const file = JSON.parse(withEmails.toString('utf8'));
    expect(file.withEmails).toBe(true);
    expect(file.comments.filter((c: { email?: string }) => c.email === ANNA)).toHaveLength(1);
    expect(file.wishes.some((w: { email?: string }) => w.email === ANNA)).toBe(true);
    expect(JSON.stringify(file)).not.toMatch(/emailEnc|emailHash/);
  });

  it("opens addresses only up to the desk's bound (one HPKE open each); without addresses no bound", async () => {
    use(source);
    await expect(exportBackup({ emails: true, now, maxEmailItems: 3 })).rejects.toMatchObject({
      code: 'too_large',
      fields: [{ field: 'backup', code: 'too_many_emails' }],
    });
    const plain = await exportBackup({ emails: false, now, maxEmailItems: 3 });
    expect(plain.backup.comments.length).toBeGreaterThan(3);
  });

  it("seals them with the new stack's key: her data is found there by her address", async () => {
    expect((await upload(fresh, withEmails, 'restore')).status).toBe(200);
    use(fresh);
    const data = await collectReaderData(ANNA);
    expect(data.comments.map((c) => c.text)).toContain('Annas Frage zum Nein-Sagen.');
    expect(data.wishes.map((w) => w.topic)).toContain('Wie sage ich Nein zu Kundinnen?');
    const sealed = (await fresh.stack.dump()).filter(
      (item) => typeof item.emailEnc === 'string' && item.emailEnc,
    );
    const original = new Set((await source.stack.dump()).map((item) => item.emailEnc));
    expect(sealed.length).toBeGreaterThan(0);
    for (const item of sealed) expect(original.has(item.emailEnc)).toBe(false);
  });
});

describe('bad and hostile uploads', () => {
  let good: Record<string, any>;
  let empty: Side;

  beforeAll(async () => {
    good = JSON.parse(fileOf(await exportFrom(source, false)).toString('utf8'));
    empty = await newSide();
  });

  /** The file's compliments with the first hand entry (index 2) changed. */
  const withHand = (change: Record<string, unknown>) =>
    good.compliments.map((c: Record<string, unknown>, i: number) => (i === 2 ? { ...c, ...change } : c));

  const cases: [string, () => Buffer, number, string][] = [
    ['not JSON', () => Buffer.from('<rss>kein json</rss>'), 400, 'keine JSON-Datei'],
    ['truncated JSON', () => Buffer.from(JSON.stringify(good).slice(0, 500)), 400, 'keine JSON-Datei'],
    ['a WordPress-like object', () => Buffer.from('{"rss":{}}'), 400, 'keine Leserpost-Sicherung'],
    ['version 2', () => Buffer.from(JSON.stringify({ ...good, version: 2 })), 400, 'nur Version 1'],
    [
      'a wrong status',
      () => Buffer.from(JSON.stringify({ ...good, comments: [{ ...good.comments[0], status: 'hidden' }] })),
      400,
      'comments[0].status',
    ],
    [
      'a day not on the calendar (JavaScript would read 31 February as 3 March)',
      () =>
        Buffer.from(
          JSON.stringify({
            ...good,
            comments: [{ ...good.comments[0], createdAt: '2026-02-31T10:00:00.000Z' }],
          }),
        ),
      400,
      'comments[0].createdAt',
    ],
    [
      'votes as text',
      () => Buffer.from(JSON.stringify({ ...good, wishes: [{ ...good.wishes[0], votes: '3' }] })),
      400,
      'wishes[0].votes',
    ],
    [
      'an unknown field',
      () => Buffer.from(JSON.stringify({ ...good, comments: [{ ...good.comments[0], emailHash: 'x' }] })),
      400,
      'comments[0].emailHash',
    ],
    [
      'a reply without its parent',
      () =>
        Buffer.from(
          JSON.stringify({
            ...good,
            comments: good.comments.filter((c: { parentId: unknown }) => c.parentId),
          }),
        ),
      400,
      '.parentId',
    ],
    [
      'a hand compliment without text',
      () => Buffer.from(JSON.stringify({ ...good, compliments: withHand({ text: '' }) })),
      400,
      'compliments[2].text',
    ],
    [
      'a hand compliment with too long a source',
      () =>
        Buffer.from(
          JSON.stringify({
            ...good,
            compliments: withHand({ where: 'x'.repeat(LIMITS.compliments.sourceMaxChars + 1) }),
          }),
        ),
      400,
      'compliments[2].where',
    ],
    [
      'a hand compliment with an address',
      () => Buffer.from(JSON.stringify({ ...good, compliments: withHand({ email: 'a@example.org' }) })),
      400,
      'compliments[2].email',
    ],
    [
      'a hand compliment twice',
      () => Buffer.from(JSON.stringify({ ...good, compliments: [...good.compliments, good.compliments[2]] })),
      400,
      'compliments[4].id',
    ],
    [
      'a starred comment without its public mark',
      () =>
        Buffer.from(
          JSON.stringify({
            ...good,
            compliments: good.compliments.map((c: Record<string, unknown>, i: number) => {
              if (i !== 0) return c;
              const { public: _, ...rest } = c;
              return rest;
            }),
          }),
        ),
      400,
      'compliments[0].public',
    ],
    ['gzip of garbage', () => gzipSync(Buffer.from('nicht json')), 400, 'keine JSON-Datei'],
    [
      'more items than the desk restores at once',
      () =>
        Buffer.from(
          JSON.stringify({
            ...good,
            wishes: [{ ...good.wishes[0], votes: LIMITS.backup.deskRestoreItems }],
          }),
        ),
      413,
      'npm run admin -- restore',
    ],
    ['a gzip bomb', () => gzipSync(Buffer.alloc(LIMITS.backup.unpackedBytes + 1, 32)), 413, 'zu groß'],
  ];

  it.each(cases)(
    'refuses %s with a page naming the problem, storing nothing',
    async (_name, file, status, text) => {
      const before = (await empty.stack.dump()).length;
      const response = await upload(empty, file(), 'restore');
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain(text);
      expect((await empty.stack.dump()).length).toBe(before);
    },
  );

  it('accepts the same file gzip-packed (.json.gz)', async () => {
    const response = await upload(empty, gzipSync(Buffer.from(JSON.stringify(good))), 'check', 'b.json.gz');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Die Datei ist in Ordnung');
  });

  it('refuses a body over the upload limit with a 413, before reading it', async () => {
    const response = await upload(empty, Buffer.alloc(LIMITS.backup.uploadBytes + 1, 32), 'check');
    expect(response.status).toBe(413);
  });

  it('refuses an upload without the form token', async () => {
    const response = await upload({ ...empty, csrf: 'falsch' }, Buffer.from(JSON.stringify(good)), 'restore');
    expect(response.status).toBe(403);
    expect((await empty.stack.dump()).some((item) => item.kind === 'comment')).toBe(false);
  });
});

describe('generated hostile uploads', () => {
  let good: Record<string, any>;
  let side: Side;

  beforeAll(async () => {
    good = JSON.parse(fileOf(await exportFrom(source, false)).toString('utf8'));
    side = await newSide();
  });

  /** A value of any JSON type, and some that break parsers and databases. */
  const anyValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      '',
      '\u0000',
      '\ud800',
      'x'.repeat(200_001),
      -1,
      1.5,
      Number.MAX_VALUE,
      2 ** 60,
      '__proto__',
      null,
    ),
  );
  /** The good file with one value somewhere replaced, removed or added. */
  const mutated = fc
    .tuple(
      fc.constantFrom('top', 'comment', 'wish', 'compliment', 'site'),
      fc.nat(),
      fc.string({ maxLength: 12 }),
      anyValue,
      fc.boolean(),
    )
    .map(([where, index, key, value, remove]) => {
      const file = structuredClone(good);
      const list = { comment: file.comments, wish: file.wishes, compliment: file.compliments }[
        where as 'comment'
      ];
      const target = where === 'top' ? file : where === 'site' ? file.site : list?.[index % list.length];
      if (!target) return Buffer.from(JSON.stringify(file));
      const names = Object.keys(target);
      const name = names.length && !key ? names[index % names.length]! : key || 'extra';
      if (remove) delete target[name];
      else target[name] = value;
      return Buffer.from(JSON.stringify(file));
    });
  const bytes = fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)) },
    {
      weight: 1,
      arbitrary: fc.nat().map((n) => {
        const text = JSON.stringify(good);
        return Buffer.from(text.slice(0, n % text.length));
      }),
    },
    { weight: 1, arbitrary: mutated.map((b) => gzipSync(b)) },
  );

  it('never answers 5xx, always an HTML page, and a refused file stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom('check', 'restore'), async (file, action) => {
        const before = await side.stack.dump();
        const response = await upload(side, file, action as 'check' | 'restore');
        expect([200, 400, 409, 413]).toContain(response.status);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        if (response.status >= 400) expect((await side.stack.dump()).length).toBe(before.length);
      }),
      { numRuns: 40 },
    );
  }, 300_000);

  it('answers a broken multipart body with a 4xx page', async () => {
    use(side);
    for (const [type, body] of [
      ['multipart/form-data; boundary=abc', `csrf=${side.csrf}`],
      ['multipart/form-data', '--abc\r\n'],
      [
        'multipart/form-data; boundary=abc',
        `--abc\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${side.csrf}`,
      ],
    ] as const) {
      const response = await call(desk as never, {
        method: 'POST',
        path: '/desk/backup/restore',
        body,
        headers: { origin: DESK_ORIGIN, 'content-type': type, cookie: `${SESSION_COOKIE}=${side.session}` },
      });
      // Without a boundary it is no multipart body at all: 415, as for any other wrong type.
      expect([400, 415]).toContain(response.status);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    }
  });
});
