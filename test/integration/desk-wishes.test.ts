import { issueLoginToken } from '../../functions/core/desk/login-token';
import { handler as wishes } from '../../functions/handlers/wishes';
import { openEmail } from '../../functions/runtime/email-keys';
import { linkKey } from '../../functions/runtime/keys';
import { getWish, listWishesByStatus } from '../../functions/store/wishes';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_URL, deskGet, deskPost } from '../support/desk';
import { call, createTestStack, TEST_ORIGIN } from '../support/stack';
import { validWish } from '../support/wishes';

let session: string;

beforeAll(async () => {
  await createTestStack({ DESK_URL });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no session');
  session = login.sessionId;
});

async function newWish(topic: string): Promise<string> {
  const result = await call(wishes, { method: 'POST', path: '/wishes', json: validWish({ topic }) });
  expect(result.status).toBe(201);
  return result.body.wish.id;
}

async function act(id: string, fields: Record<string, string>, status = 'new') {
  const csrf = csrfIn((await deskGet(`/desk/wishes?status=${status}`, session)).text);
  return deskPost('/desk/wishes', { csrf, id, status, ...fields }, session);
}

describe('wishes at the desk', () => {
  it('lists each status and takes a wish from new through planned to written, with the credit', async () => {
    const id = await newWish('Wie sage ich Nein zu Kundinnen?');
    const board = await deskGet('/desk/wishes', session);
    expect(board.status).toBe(200);
    expect(board.text).toContain('Wie sage ich Nein zu Kundinnen?');

    expect((await act(id, { do: 'plan' })).headers.location).toBe('/desk/wishes?status=new&done=1');
    expect((await getWish(id))!.status).toBe('planned');
    expect((await deskGet('/desk/wishes?status=planned', session)).text).toContain('Wie sage ich Nein');

    const foreign = await act(id, { do: 'written', articleUrl: 'https://elsewhere.example/nein' }, 'planned');
    expect(foreign.headers.location).toBe('/desk/wishes?status=planned&problem=origin_not_allowed');
    const explained = await deskGet(foreign.headers.location!, session);
    // The error names the allowed origins.
    expect(explained.text).toContain(`Erlaubt sind: ${TEST_ORIGIN}.`);
    expect((await getWish(id))!.status).toBe('planned');

    const written = await act(
      id,
      { do: 'written', articleUrl: `${TEST_ORIGIN}/2026/nein-sagen/` },
      'planned',
    );
    expect(written.headers.location).toBe('/desk/wishes?status=planned&done=1');
    expect((await getWish(id))!.status).toBe('written');
    const credit = await call(wishes, {
      method: 'GET',
      path: '/wishes/credit',
      rawQueryString: `page=${encodeURIComponent('/2026/nein-sagen/')}`,
    });
    expect(credit.body.wish.topic).toBe('Wie sage ich Nein zu Kundinnen?');
    // A reader's wish carries no credit link.
    expect(credit.body.wish.website).toBeNull();
  });

  it('merges a duplicate into an accepted wish', async () => {
    const original = await newWish('Preise erhöhen');
    const duplicate = await newWish('Wie erhöhe ich Preise?');
    await act(original, { do: 'accept' });
    const page = await deskGet('/desk/wishes?status=new', session);
    expect(page.text).toContain(`<option value="${original}">Preise erhöhen</option>`);
    const merged = await act(duplicate, { do: 'merge', into: original });
    expect(merged.headers.location).toBe('/desk/wishes?status=new&done=1');
    expect((await getWish(duplicate))!).toMatchObject({ status: 'merged', mergedInto: original });
    const self = await act(original, { do: 'merge', into: original }, 'accepted');
    expect(self.headers.location).toBe('/desk/wishes?status=accepted&problem=same_wish');
  });

  it('refuses an action that does not fit, and a made-up id', async () => {
    const id = await newWish('Newsletter ohne Angst');
    await act(id, { do: 'decline' });
    const wrong = await act(id, { do: 'plan' }, 'declined');
    expect(wrong.headers.location).toBe('/desk/wishes?status=declined&problem=action_not_allowed');
    const unknown = await act('../../x', { do: 'accept' });
    expect(unknown.headers.location).toBe('/desk/wishes?status=new&problem=not_found');
  });

  it("changes a new wish's title before it is public, and never after", async () => {
    const id = await newWish('Preise erhoehen ohne Angts');
    const page = await deskGet('/desk/wishes?status=new', session);
    expect(page.text).toContain(`name="topic" value="Preise erhoehen ohne Angts"`);
    const changed = await act(id, { do: 'retitle', topic: '  Preise erhöhen ohne Angst  ' });
    expect(changed.headers.location).toBe('/desk/wishes?status=new&done=1');
    expect((await getWish(id))!.topic).toBe('Preise erhöhen ohne Angst');

    const bad = await act(id, { do: 'retitle', topic: 'x' });
    expect(bad.headers.location).toBe('/desk/wishes?status=new&problem=invalid_topic');
    expect((await deskGet(bad.headers.location!, session)).text).toContain('Der Titel braucht 5 bis 200');
    expect((await getWish(id))!.topic).toBe('Preise erhöhen ohne Angst');

    await act(id, { do: 'accept' });
    const locked = await act(id, { do: 'retitle', topic: 'Ein ganz anderer Titel' }, 'accepted');
    expect(locked.headers.location).toBe('/desk/wishes?status=accepted&problem=title_locked');
    expect((await getWish(id))!.topic).toBe('Preise erhöhen ohne Angst');
  });

  it("takes a wish entered by hand, with a shown name and the wisher's address sealed", async () => {
    const page = await deskGet('/desk/wishes?status=new', session);
    const csrf = csrfIn(page.text);
    const entered = await deskPost(
      '/desk/wishes/new',
      {
        csrf,
        topic: 'Kundengewinnung auf Messen',
        name: 'Eva aus dem Workshop',
        email: 'eva.hand@example.org',
      },
      session,
    );
    expect(entered.headers.location).toBe('/desk/wishes?status=new&done=1');
    const wish = (await listWishesByStatus('new')).find((one) => one.topic === 'Kundengewinnung auf Messen');
    expect(wish).toMatchObject({ publicName: 'Eva aus dem Workshop', notifyWhenWritten: true });
    expect(wish!.emailEnc).not.toContain('eva.hand');
    expect(await openEmail(wish!.emailEnc)).toBe('eva.hand@example.org');
    expect((await deskGet('/desk/wishes?status=new', session)).text).toContain('Kundengewinnung auf Messen');

    const anonymous = await deskPost('/desk/wishes/new', { csrf, topic: 'Ohne Namen und Adresse' }, session);
    expect(anonymous.headers.location).toBe('/desk/wishes?status=new&done=1');
    const plain = (await listWishesByStatus('new')).find((one) => one.topic === 'Ohne Namen und Adresse');
    expect(plain).toMatchObject({ notifyWhenWritten: false, emailEnc: '' });
    expect(plain?.publicName).toBeUndefined();

    for (const [fields, problem] of [
      [{ topic: 'x' }, 'invalid_topic'],
      [{ topic: 'Ein gutes Thema', email: 'keine-adresse' }, 'invalid_email'],
      [{ topic: 'Ein gutes Thema', name: 'n'.repeat(81) }, 'invalid_name'],
    ] as const) {
      const refused = await deskPost('/desk/wishes/new', { csrf, ...fields }, session);
      expect(refused.headers.location).toBe(`/desk/wishes?status=new&problem=${problem}`);
    }
    expect((await listWishesByStatus('new')).some((one) => one.topic === 'Ein gutes Thema')).toBe(false);
  });

  it('credits a wish entered by hand with its link on the article, and refuses a link that is not http(s)', async () => {
    const csrf = csrfIn((await deskGet('/desk/wishes?status=new', session)).text);
    for (const link of [
      'javascript:alert(1)',
      'ftp://coach.example/',
      `https://coach.example/${'a'.repeat(300)}`,
    ]) {
      const refused = await deskPost(
        '/desk/wishes/new',
        { csrf, topic: 'Ein Link zu viel', name: 'Bettina', link },
        session,
      );
      expect(refused.headers.location).toBe('/desk/wishes?status=new&problem=invalid_link');
      expect((await deskGet(refused.headers.location!, session)).text).toContain('https:// oder http://');
    }
    expect((await listWishesByStatus('new')).some((one) => one.topic === 'Ein Link zu viel')).toBe(false);

    // A bare domain means https, as for a commenter's website.
    await deskPost(
      '/desk/wishes/new',
      {
        csrf,
        topic: 'Preise sicher nennen',
        name: 'Coach Bettina',
        link: ' coach-bettina.example/ueber-mich ',
      },
      session,
    );
    const wish = (await listWishesByStatus('new')).find((one) => one.topic === 'Preise sicher nennen')!;
    expect(wish.website).toBe('https://coach-bettina.example/ueber-mich');
    expect((await act(wish.id, { do: 'plan' })).headers.location).toBe('/desk/wishes?status=new&done=1');
    await act(wish.id, { do: 'written', articleUrl: `${TEST_ORIGIN}/2026/preise/` }, 'planned');
    const credit = await call(wishes, {
      method: 'GET',
      path: '/wishes/credit',
      rawQueryString: `page=${encodeURIComponent('/2026/preise/')}`,
    });
    expect(credit.body.wish).toMatchObject({
      publicName: 'Coach Bettina',
      website: 'https://coach-bettina.example/ueber-mich',
    });
  });
});
