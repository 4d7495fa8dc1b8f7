/**
 * A reader's data rights against DynamoDB Local: the export holds everything stored for her
 * address and nothing of anyone else; erasure leaves no trace of the address in a dump of the
 * whole table, keeps threads intact ("gelöscht" where replies hang on), and tells the author how
 * much was erased without saying whose.
 */
import { handler as comments } from '../../functions/handlers/comments';
import { moderateComment } from '../../functions/usecases/moderation';
import { collectReaderData, eraseReaderData } from '../../functions/usecases/reader-data';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';
import { acceptedWish, validWish, wishApi } from '../support/wishes';

let stack: TestStack;
const page = '/posts/meine-daten';
const erika = 'Erika.Leserin@Example.de';
const other = 'jan.anderer@example.org';
const now = new Date('2026-11-29T12:00:00Z');

async function comment(email: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page, email, ...overrides }),
  });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.comment.id as string;
}

const visibleComments = async () =>
  (await call(comments, { method: 'GET', path: '/comments', rawQueryString: `page=${page}` })).body.comments;

let erikasParent: string;
let othersReply: string;
let erikasLone: string;
let erikasWish: string;

beforeAll(async () => {
  stack = await createTestStack({ MODERATION: 'all' });
  erikasParent = await comment(erika, { name: 'Erika', text: 'Mein erster Kommentar mit Antwort.' });
  // The author approves it, so her address becomes trusted.
  await moderateComment(erikasParent, 'approve', now);
  othersReply = await comment(other, { name: 'Jan', text: 'Jans Antwort an Erika.', parentId: erikasParent });
  await moderateComment(othersReply, 'approve', now);
  // Still waiting for the author when she asks for erasure.
  erikasLone = await comment(erika.toLowerCase(), { name: 'Erika', text: 'Noch einer ohne Antworten.' });
  await comment(other, { name: 'Jan', text: 'Jans eigener Kommentar.' });
  erikasWish = await acceptedWish({
    email: erika,
    displayName: 'Erika M.',
    topic: 'Wie finde ich Kundinnen?',
  });
  await wishApi.post(validWish({ email: other, displayName: 'Jan', topic: 'Jans Wunschthema bitte' }));
});

describe('collectReaderData', () => {
  it('exports her comments and wishes, found by the address in any case, and nothing of another reader', async () => {
    const data = await collectReaderData(' erika.leserin@example.DE ');
    expect(data.comments.map((c) => c.id).sort()).toEqual([erikasParent, erikasLone].sort());
    expect(data.comments.map((c) => c.text).sort()).toEqual(
      ['Mein erster Kommentar mit Antwort.', 'Noch einer ohne Antworten.'].sort(),
    );
    expect(data.wishes.map((w) => w.id)).toEqual([erikasWish]);
    expect(data.wishes[0]).toMatchObject({ topic: 'Wie finde ich Kundinnen?', requesterName: 'Erika M.' });
    const json = JSON.stringify(data);
    expect(json).not.toContain('Jan');
    expect(json).not.toContain(other);
    // Nothing sealed or hashed: the export is readable by her, not a dump of our internals.
    expect(json).not.toMatch(/v1\.[\w-]+\.[\w-]+\./);
    expect(JSON.parse(json)).toEqual(data);
  });

  it('exports empty lists for an address nothing is stored for', async () => {
    const data = await collectReaderData('niemand@example.net');
    expect(data).toMatchObject({ comments: [], wishes: [], votes: [], subscriptions: [], confirmations: [] });
  });
});

describe('eraseReaderData', () => {
  let summary: Awaited<ReturnType<typeof eraseReaderData>>;
  let hashes: string[];

  beforeAll(async () => {
    hashes = (await stack.dump())
      .filter((item) => item.kind === 'comment' && [erikasParent, erikasLone].includes(String(item.id)))
      .map((item) => String(item.emailHash));
    summary = await eraseReaderData(erika, now);
  });

  it('counts what it erased', () => {
    expect(summary).toMatchObject({ commentsRemoved: 1, commentsKeptAsPlaceholders: 1, wishesAnonymised: 1 });
  });

  it('leaves no trace of the address, its seal or its hash anywhere in the table', async () => {
    const dump = await stack.dump();
    const text = JSON.stringify(dump).toLowerCase();
    expect(text).not.toContain(erika.toLowerCase());
    for (const hash of new Set(hashes)) expect(JSON.stringify(dump)).not.toContain(hash);
    for (const item of dump) {
      if ([erikasParent, erikasLone, erikasWish].includes(String(item.id))) {
        expect(item).not.toHaveProperty('emailEnc');
        expect(item).not.toHaveProperty('emailHash');
      }
    }
    expect(text).not.toContain('mein erster kommentar');
    expect(text).not.toContain('erika m.');
  });

  it('keeps the thread: her commented-on comment as "gelöscht", the other reader\'s reply visible', async () => {
    const list = await visibleComments();
    const parent = list.find((c: { id: string }) => c.id === erikasParent);
    expect(parent).toMatchObject({ placeholder: true, name: null, text: null });
    expect(list.find((c: { id: string }) => c.id === othersReply)).toMatchObject({
      text: 'Jans Antwort an Erika.',
    });
    expect(list.find((c: { id: string }) => c.id === erikasLone)).toBeUndefined();
  });

  it('keeps her wish on the board without her name', async () => {
    const board = (await wishApi.list('sort=newest')).body.wishes;
    expect(board.find((w: { id: string }) => w.id === erikasWish)).toMatchObject({
      topic: 'Wie finde ich Kundinnen?',
      publicName: null,
    });
  });

  it('takes away the trust her approved comment earned', async () => {
    const dump = await stack.dump();
    // The trust marker, and the confirmation request her wish's opt-in stored.
    expect(summary.otherRemoved).toBe(2);
    expect(
      dump.filter(
        (item) => String(item.pk).startsWith('TRUST#') && hashes.includes(String(item.pk).slice(6)),
      ),
    ).toEqual([]);
  });

  it('leaves the other reader untouched', async () => {
    const data = await collectReaderData(other);
    expect(data.comments).toHaveLength(2);
    expect(data.wishes).toHaveLength(1);
  });

  it('tells the author how much was erased, without the address or its hash', async () => {
    const notices = (await stack.dump()).filter((item) => item.kind === 'erasure');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.counts).toMatchObject({ commentsRemoved: 1, commentsKeptAsPlaceholders: 1 });
    expect(JSON.stringify(notices)).not.toMatch(/erika/i);
    for (const hash of hashes) expect(JSON.stringify(notices)).not.toContain(hash);
  });

  it('finds nothing the second time, and sends the author no second notice', async () => {
    const again = await eraseReaderData(erika, now);
    expect(Object.values(again).every((count) => count === 0)).toBe(true);
    expect((await collectReaderData(erika)).comments).toEqual([]);
    expect((await stack.dump()).filter((item) => item.kind === 'erasure')).toHaveLength(1);
  });
});
