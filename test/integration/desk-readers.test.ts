/**
 * Leser:innen-Daten on the desk: look an address up (by its lookup hash), download everything as
 * JSON, erase it after a ticked box. Real desk handler on DynamoDB Local; the address must appear
 * in no URL and no log line.
 */
import '../support/debug-log';
import fc from 'fast-check';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { handler as comments } from '../../functions/handlers/comments';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { moderateComment } from '../../functions/usecases/moderation';
import { csrfIn, DESK_URL, deskGet, deskPost } from '../support/desk';
import { call, createTestStack, type TestStack, validComment } from '../support/stack';
import { acceptedWish, validWish, wishApi } from '../support/wishes';

const PAGE = '/posts/desk-leserdaten';
const ERIKA = 'Erika.Desk@Example.de';
const JAN = 'jan.desk@example.org';
const now = new Date('2026-11-29T12:00:00Z');

let stack: TestStack;
let session: string;
let csrf: string;
let erikasParent: string;
let erikasLone: string;
let erikasWish: string;
let jansReply: string;

/** Everything written to stdout and stderr (the Lambda log), at the most talkative level (debug-log). */
const logged: string[] = [];

async function comment(email: string, overrides: Record<string, unknown>): Promise<string> {
  const response = await call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page: PAGE, email, ...overrides }),
  });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.comment.id as string;
}

beforeAll(async () => {
  stack = await createTestStack({ DESK_URL, MODERATION: 'all' });
  for (const stream of ['stdout', 'stderr'] as const) {
    const write = process[stream].write.bind(process[stream]);
    jest.spyOn(process[stream], 'write').mockImplementation(((
      chunk: string | Uint8Array,
      ...rest: never[]
    ) => {
      logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return write(chunk, ...rest);
    }) as never);
  }
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
  erikasParent = await comment(ERIKA, { name: 'Erika', text: 'Erikas Frage mit Antwort.' });
  await moderateComment(erikasParent, 'approve', now);
  jansReply = await comment(JAN, { name: 'Jan', text: 'Jans Antwort an Erika.', parentId: erikasParent });
  await moderateComment(jansReply, 'approve', now);
  erikasLone = await comment(ERIKA, { name: 'Erika', text: 'Erikas zweiter Kommentar.' });
  erikasWish = await acceptedWish({
    email: ERIKA,
    displayName: 'Erika D.',
    topic: 'Wie schreibe ich Angebote?',
  });
  await wishApi.post(validWish({ email: JAN, displayName: 'Jan', topic: 'Jans eigenes Thema bitte' }));
  csrf = csrfIn((await deskGet('/desk/readers', session)).text);
});

afterAll(() => {
  jest.restoreAllMocks();
  delete process.env.LOG_LEVEL;
});

describe('reader data on the desk', () => {
  it('shows the form, with the page in the navigation', async () => {
    const form = await deskGet('/desk/readers', session);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<title>Leser:innen-Daten');
    expect(form.text).toContain('<a href="/desk/readers" aria-current="page">Leser:innen-Daten</a>');
    expect(form.text).toMatch(/<form method="post" action="\/desk\/readers">/);
    const english = await deskGet('/desk/readers?lang=en', session);
    expect(english.text).toContain('<title>Reader data');
  });

  it('looks her up in any case and shows her comments and wish, and nothing of another reader', async () => {
    const found = await deskPost(
      '/desk/readers',
      { csrf, email: ' erika.desk@EXAMPLE.de ', do: 'lookup' },
      session,
    );
    expect(found.status).toBe(200);
    expect(found.text).toContain('2 Kommentare');
    expect(found.text).toContain('1 Themenwunsch');
    expect(found.text).toContain('Erikas Frage mit Antwort.');
    expect(found.text).toContain('Erikas zweiter Kommentar.');
    expect(found.text).toContain(PAGE);
    expect(found.text).toContain('Wie schreibe ich Angebote?');
    expect(found.text).not.toContain('Jans Antwort');
    expect(found.text).not.toContain('Jans eigenes Thema');
    // Download and erase forms carry the address in their bodies, not in a link.
    expect(found.text).not.toMatch(/href="[^"]*erika/i);
    expect(found.text).toContain('value="download"');
    expect(found.text).toContain('name="confirm"');
  });

  it('shows zero for an address nothing is stored for', async () => {
    const found = await deskPost('/desk/readers', { csrf, email: 'niemand@example.net' }, session);
    expect(found.status).toBe(200);
    expect(found.text).toContain('0 Kommentare');
    expect(found.text).toContain('0 Themenwünsche');
  });

  it('refuses an invalid address with the form and a named problem, and stores nothing', async () => {
    const before = (await stack.dump()).length;
    const bad = await deskPost(
      '/desk/readers',
      { csrf, email: 'keine-adresse', do: 'erase', confirm: '1' },
      session,
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Bitte eine gültige E-Mail-Adresse angeben.');
    expect((await stack.dump()).length).toBe(before);
  });

  it('answers any hostile address field with a page (never a 5xx) and erases nothing of hers', async () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('%00@x.de', 'a@b\u0000.de', `${'a'.repeat(300)}@example.de`, '<script>@x.de', ' ', ''),
    );
    await fc.assert(
      fc.asyncProperty(
        hostile,
        fc.constantFrom('lookup', 'download', 'erase', 'x'),
        async (email, action) => {
          const result = await deskPost('/desk/readers', { csrf, email, do: action, confirm: '1' }, session);
          expect([200, 400]).toContain(result.status);
          expect(result.text).not.toContain('<script>@');
        },
      ),
      { numRuns: 25 },
    );
    expect(JSON.stringify(await stack.dump())).toContain('Erikas zweiter Kommentar.');
  });

  it('downloads everything stored for her as a JSON attachment', async () => {
    const download = await deskPost('/desk/readers', { csrf, email: ERIKA, do: 'download' }, session);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toMatch(/^application\/json/);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="[\w.-]+\.json"$/);
    expect(download.headers['content-disposition']).not.toMatch(/erika/i);
    const data = JSON.parse(download.text);
    expect(data.email).toBe(ERIKA);
    expect(data.comments.map((c: { id: string }) => c.id).sort()).toEqual([erikasParent, erikasLone].sort());
    expect(data.wishes.map((w: { id: string }) => w.id)).toEqual([erikasWish]);
    expect(data.wishes[0]).toMatchObject({ topic: 'Wie schreibe ich Angebote?', requesterName: 'Erika D.' });
    expect(data.trustedSince).not.toBeNull();
    expect(download.text).not.toContain('Jan');
    expect(download.text).not.toContain(JAN);
  });

  it('does not erase without the ticked box', async () => {
    const refused = await deskPost('/desk/readers', { csrf, email: ERIKA, do: 'erase' }, session);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Zum Löschen bitte das Kästchen ankreuzen.');
    expect(refused.text).toContain('2 Kommentare');
    expect(JSON.stringify(await stack.dump())).toContain('Erikas zweiter Kommentar.');
  });

  it('without a session redirects to the login, without the form token refuses', async () => {
    const anonymous = await deskPost('/desk/readers', { email: ERIKA, do: 'erase', confirm: '1' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/desk/login');
    expect((await deskGet('/desk/readers')).status).toBe(303);
    const forged = await deskPost('/desk/readers', { email: ERIKA, do: 'erase', confirm: '1' }, session);
    expect(forged.status).toBe(403);
    const download = await deskPost('/desk/readers', { email: ERIKA, do: 'download' }, session);
    expect(download.status).toBe(403);
    expect(JSON.stringify(await stack.dump())).toContain('Erikas zweiter Kommentar.');
  });

  it('erases after the ticked box, shows the counts, and leaves no trace of her', async () => {
    const hashes = (await stack.dump())
      .filter((item) => item.kind === 'comment' && [erikasParent, erikasLone].includes(String(item.id)))
      .map((item) => String(item.emailHash));
    const erased = await deskPost(
      '/desk/readers',
      { csrf, email: ERIKA, do: 'erase', confirm: '1' },
      session,
    );
    expect(erased.status).toBe(200);
    expect(erased.text).toContain('Gelöscht.');
    expect(erased.text).toContain('Kommentare entfernt: 1');
    expect(erased.text).toContain('Kommentare als „gelöscht“ im Gespräch: 1');
    expect(erased.text).toContain('Wünsche ohne Namen: 1');
    expect(erased.text).not.toMatch(/erika\.desk/i);

    const dump = JSON.stringify(await stack.dump());
    expect(dump.toLowerCase()).not.toContain(ERIKA.toLowerCase());
    for (const hash of new Set(hashes)) expect(dump).not.toContain(hash);
    expect(dump).not.toContain('Erikas Frage mit Antwort.');
    expect(dump).not.toContain('Erikas zweiter Kommentar.');
    expect(dump).not.toContain('Erika D.');
    expect(dump).toContain('Jans Antwort an Erika.');

    const list = (await call(comments, { method: 'GET', path: '/comments', rawQueryString: `page=${PAGE}` }))
      .body.comments;
    expect(list.find((c: { id: string }) => c.id === erikasParent)).toMatchObject({
      placeholder: true,
      text: null,
    });
    expect(list.find((c: { id: string }) => c.id === jansReply)).toMatchObject({
      text: 'Jans Antwort an Erika.',
    });
    expect(list.find((c: { id: string }) => c.id === erikasLone)).toBeUndefined();

    const again = await deskPost('/desk/readers', { csrf, email: ERIKA }, session);
    expect(again.text).toContain('0 Kommentare');
    const jan = await deskPost('/desk/readers', { csrf, email: JAN }, session);
    expect(jan.text).toContain('1 Kommentar<');
  });

  it('wrote the address into no log line', () => {
    expect(logged.some((line) => line.includes('deskReadersAction'))).toBe(true);
    for (const line of logged) {
      expect(line.toLowerCase()).not.toContain('erika.desk');
    }
  });
});
