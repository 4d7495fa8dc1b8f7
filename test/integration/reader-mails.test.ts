/**
 * The mails a reader receives, through the real stream → notifier → outbox: approved, reply (at
 * once, then a digest of the replies within the hour, by a sweep run on a clock the test sets),
 * wish written; never without confirmation, never for her own reply, never twice under
 * redelivery, never after unsubscribing (RFC 8058 one-click POST, or "everything" on the page).
 */
import { LIMITS } from '../../functions/core/limits';
import { renderCommentMail } from '../../functions/core/mail/render';
import { issueToken } from '../../functions/core/tokens';
import { handler as comments } from '../../functions/handlers/comments';
import { handler as readers } from '../../functions/handlers/readers';
import { sweepDigests } from '../../functions/notifier/reader-mails';
import { linkKey } from '../../functions/runtime/keys';
import { moderateComment } from '../../functions/usecases/moderation';
import { applyWishAction } from '../../functions/usecases/wishes';
import { readerMailSuite, readerPost, redeliver } from '../support/reader-mail';
import { call, TEST_ORIGIN, validComment } from '../support/stack';
import { validWish, wishApi } from '../support/wishes';

const stack = readerMailSuite(postComment, { MODERATION: 'all' });
const { settle, confirm } = stack;

const page = '/posts/leserpost-mails';
const pageUrl = `${TEST_ORIGIN}${page}`;
const anna = 'anna.antwort@example.org';

function postComment(json: Record<string, unknown>, sourceIp = '198.51.100.30') {
  return call(comments, {
    method: 'POST',
    path: '/comments',
    json: validComment({ page, pageUrl, ...json }),
    sourceIp,
  });
}

/** A visible comment (posted, then approved by the author); returns its id. */
async function visible(json: Record<string, unknown>): Promise<string> {
  const response = await postComment(json);
  if (response.status !== 201) throw new Error(response.text);
  const id = response.body.comment.id as string;
  await moderateComment(id, 'approve', new Date());
  return id;
}

const replyMails = (address: string) => stack.mailsTo(address).filter((mail) => /Antwort/.test(mail.subject));

let annasComment: string;

describe('approved', () => {
  beforeAll(async () => {
    const response = await postComment({ email: anna, name: 'Anna', notifyReplies: true });
    annasComment = response.body.comment.id;
    await confirm(anna);
    await moderateComment(annasComment, 'approve', new Date());
    await settle();
  });

  it('tells her once that her held comment is visible, with the link and both unsubscribe headers', () => {
    const approved = stack.mailsTo(anna).filter((mail) => /freigegeben/.test(mail.subject));
    expect(approved).toHaveLength(1);
    expect(approved[0]!.text).toContain(`${pageUrl}#kommentar-${annasComment}`);
    const raw = stack.mailsTo(anna).length;
    expect(raw).toBe(2); // the confirmation, and this one
    const headers = approved[0]!.headers;
    expect(headers['list-unsubscribe']).toMatch(
      /^<https:\/\/api\.blog\.example\/readers\/unsubscribe\?t=reader\.unsubscribe\./,
    );
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });
});

describe('replies', () => {
  let firstReply: string;

  beforeAll(async () => {
    firstReply = await visible({
      email: 'ben@example.org',
      name: 'Ben',
      text: 'Bens erste Antwort an Anna.',
      parentId: annasComment,
    });
    await settle();
  });

  it('mails the first reply at once, with its text and permalink', () => {
    const mails = replyMails(anna);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Bens erste Antwort an Anna.');
    expect(mails[0]!.text).toContain(`${pageUrl}#kommentar-${firstReply}`);
    expect(mails[0]!.html).toContain('Bens erste Antwort an Anna.');
  });

  it('never mails the same reply twice when the stream delivers its record again', async () => {
    const reply = (await stack.dump()).find((item) => item.id === firstReply)!;
    expect(await redeliver(reply, { ...reply, status: 'pending' })).toEqual([]);
    await settle();
    expect(replyMails(anna)).toHaveLength(1);
  });

  it('never mails her about her own reply', async () => {
    await visible({
      email: anna.toUpperCase(),
      name: 'Anna',
      text: 'Annas eigene Antwort.',
      parentId: annasComment,
    });
    await settle();
    expect(stack.mailsTo(anna).some((mail) => mail.text.includes('Annas eigene Antwort.'))).toBe(false);
  });

  it('collects the replies within the hour after a mail into one later mail', async () => {
    await visible({
      email: 'carl@example.org',
      name: 'Carl',
      text: 'Carls Antwort.',
      parentId: annasComment,
    });
    await visible({
      email: 'dora@example.org',
      name: 'Dora',
      text: 'Doras Antwort.',
      parentId: annasComment,
    });
    await settle();
    expect(replyMails(anna)).toHaveLength(1);

    // Not due yet: the hour after the first mail has not passed.
    expect(await sweepDigests(new Date())).toBe(0);
    const afterTheHour = new Date(Date.now() + (LIMITS.readers.replyDigestSeconds + 60) * 1000);
    expect(await sweepDigests(afterTheHour)).toBe(1);
    await settle();
    const mails = replyMails(anna);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toContain('2 neue Antworten');
    expect(mails[1]!.text).toContain('Carls Antwort.');
    expect(mails[1]!.text).toContain('Doras Antwort.');
    expect(mails[1]!.text).not.toContain('Bens erste Antwort');
    // Swept again, nothing is left to send.
    expect(await sweepDigests(new Date(afterTheHour.getTime() + 60_000))).toBe(0);
  });

  it('never mails a reader who did not confirm her address', async () => {
    const eva = 'eva.unbestaetigt@example.org';
    const evas = await visible({ email: eva, name: 'Eva', notifyReplies: true });
    await visible({ email: 'ben@example.org', name: 'Ben', text: 'Antwort an Eva.', parentId: evas });
    await settle();
    expect(stack.mailsTo(eva).filter((mail) => !/bestätige/.test(mail.subject))).toEqual([]);
  });

  it('stops at once after the one-click POST of the List-Unsubscribe header', async () => {
    const header = replyMails(anna)[0]!.headers['list-unsubscribe']!;
    const url = new URL(header.slice(1, -1));
    const response = await readerPost(
      '/readers/unsubscribe',
      'List-Unsubscribe=One-Click',
      url.search.slice(1),
    );
    expect(response.status).toBe(200);
    await visible({
      email: 'ben@example.org',
      name: 'Ben',
      text: 'Nach dem Abbestellen.',
      parentId: annasComment,
    });
    await sweepDigests(new Date(Date.now() + 3 * LIMITS.readers.replyDigestSeconds * 1000));
    await settle();
    expect(stack.mailsTo(anna).some((mail) => mail.text.includes('Nach dem Abbestellen.'))).toBe(false);
  });
});

describe('wish written', () => {
  it('mails the confirmed wisher once, the unconfirmed one never, and nobody after "everything"', async () => {
    const confirmed = 'wuenscherin@example.org';
    const unconfirmed = 'ohne.bestaetigung@example.org';
    const leaving = 'geht.ganz@example.org';
    const ids: string[] = [];
    for (const email of [confirmed, unconfirmed, leaving]) {
      const id = (await wishApi.post(validWish({ email, notifyWhenWritten: true }))).body.wish.id;
      await applyWishAction(id, 'accept', {}, new Date());
      ids.push(id);
    }
    await confirm(confirmed);
    await confirm(leaving);
    // She leaves everything from the page of a link (the written mail's would do the same).
    const token = issueToken(
      { kind: 'reader', action: 'unsubscribe', target: ids[2]! },
      await linkKey('reader'),
      new Date(),
    );
    const pageView = await call(readers, {
      method: 'GET',
      path: '/readers/unsubscribe',
      rawQueryString: `t=${token}`,
    });
    expect(pageView.text).toContain('name="scope" value="all"');
    expect((await readerPost('/readers/unsubscribe', `t=${token}&scope=all`)).status).toBe(200);

    const articleUrl = `${TEST_ORIGIN}/2026/12/der-wunsch-ist-da`;
    for (const id of ids) {
      await applyWishAction(id, 'written', { articleUrl }, new Date());
      await applyWishAction(id, 'written', { articleUrl }, new Date());
    }
    await settle();
    const written = (address: string) =>
      stack.mailsTo(address).filter((mail) => mail.text.includes(articleUrl));
    expect(written(confirmed)).toHaveLength(1);
    expect(written(confirmed)[0]!.headers['list-unsubscribe']).toContain('readers/unsubscribe');
    expect(written(unconfirmed)).toEqual([]);
    expect(written(leaving)).toEqual([]);
  });
});

describe('an approved comment that her edit sends back to moderation', () => {
  const author = 'autorin@blog.example';
  const editKey = 'Leserin-Bearbeitungs_Key-42';
  const links = 'https://a.example https://b.example https://c.example https://d.example';
  const heldEditMails = () =>
    stack.mailsTo(author).filter((mail) => /Bearbeiteter Kommentar/.test(mail.subject));
  let id: string;

  beforeAll(async () => {
    id = await visible({ email: 'frieda@example.org', name: 'Frieda', text: 'Erst ohne Links.', editKey });
    await settle();
    const edited = await call(comments, {
      method: 'PATCH',
      path: `/comments/${id}`,
      json: { editKey, text: `Jetzt mit Links: ${links}` },
    });
    expect(edited.body).toMatchObject({ visible: false });
    await settle();
  });

  it('sends the author the mail of a held comment, with the new text, why, and the links to act', () => {
    const mails = heldEditMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(
      '[Freigabe nötig] Bearbeiteter Kommentar von Frieda zu „/posts/leserpost-mails“',
    );
    expect(mails[0]!.text).toContain('Frieda hat ihren schon sichtbaren Kommentar');
    expect(mails[0]!.text).toContain('Jetzt mit Links: https://a.example');
    expect(mails[0]!.text).toContain('Der Kommentar wartet auf deine Freigabe.');
    expect(mails[0]!.text).toContain('Zurückgehalten, weil: viele Links');
    expect(mails[0]!.text).toMatch(/Freigeben: https:\/\/api\.blog\.example\//);
  });

  it('sends it once when the stream delivers the edit again, and again for a second such edit', async () => {
    const notice = (await stack.dump()).find((item) => item.kind === 'held-edit' && item.commentId === id)!;
    expect(await redeliver(notice)).toEqual([]);
    await settle();
    expect(heldEditMails()).toHaveLength(1);
    // Approved again, then edited again within the window: a new edit, a new mail.
    await moderateComment(id, 'approve', new Date());
    const again = await call(comments, {
      method: 'PATCH',
      path: `/comments/${id}`,
      json: { editKey, text: `Noch einmal mit Links: ${links}` },
    });
    expect(again.status).toBe(200);
    await settle();
    expect(heldEditMails().map((mail) => mail.text.includes('Noch einmal mit Links'))).toEqual([false, true]);
  });

  it('says it in English too', () => {
    const mail = renderCommentMail({
      site: { siteName: 'Blog', lang: 'en', allowedOrigins: [TEST_ORIGIN], timeZone: 'Europe/London' },
      comment: { page, name: 'Frieda', email: 'frieda@example.org', text: 'x', status: 'pending' },
      links: [],
      linksExpireAt: new Date(),
      edited: true,
    });
    expect(mail.subject).toBe('[Needs approval] Edited comment by Frieda on “/posts/leserpost-mails”');
    expect(mail.text).toContain(
      'Frieda edited their visible comment on “/posts/leserpost-mails”; the new version is hidden',
    );
  });
});
