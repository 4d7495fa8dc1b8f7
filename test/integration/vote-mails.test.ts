/**
 * Voters hear when their wish is written, through the real stream → notifier → outbox: an optional
 * address with the vote (or sent again after it), double opt-in like the wisher's, one mail per
 * address (a wisher who also voted gets one), once under redelivery, never unconfirmed, never after
 * unsubscribing, and the voter's unsubscribe link acts on her vote, not on the wisher's wish.
 */
import { handler as wishes } from '../../functions/handlers/wishes';
import { lookupHashOf } from '../../functions/runtime/keys';
import { eraseReaderData } from '../../functions/usecases/reader-data';
import { applyWishAction, mergeWishes } from '../../functions/usecases/wishes';
import { readerMailSuite, readerPost, redeliver } from '../support/reader-mail';
import { call, TEST_ORIGIN } from '../support/stack';
import { newVoterId, validWish, wishApi } from '../support/wishes';

/** The stream is handled up to now: a new wish's author mail (it names its topic) is the mark. */
const stack = readerMailSuite(({ text, email }) =>
  wishApi.post(validWish({ topic: String(text), email, notifyWhenWritten: false })),
);
const { settle, confirm } = stack;

let voters = 0;
/** A vote from its own client (its own address, also past 250 votes), with whatever else the body carries. */
function vote(wishId: string, body: Record<string, unknown>) {
  voters++;
  return call(wishes, {
    method: 'POST',
    path: `/wishes/${wishId}/vote`,
    json: body,
    sourceIp: `198.51.${100 + Math.floor(voters / 250)}.${voters % 250}`,
  });
}

async function acceptedWish(email: string, notifyWhenWritten: boolean): Promise<string> {
  const id = (await wishApi.post(validWish({ email, notifyWhenWritten }))).body.wish.id as string;
  await applyWishAction(id, 'accept', {}, new Date());
  return id;
}

const articleUrl = (slug: string) => `${TEST_ORIGIN}/2026/12/${slug}`;
const writtenMails = (address: string, url: string) =>
  stack.mailsTo(address).filter((mail) => mail.text.includes(url));

/** The one mail to her about this article (there must be exactly one). */
function theWrittenMail(address: string, url: string) {
  const mails = writtenMails(address, url);
  expect(mails).toHaveLength(1);
  return mails[0]!;
}

/** The stream delivers the record of the wish becoming written again (as Lambda may). */
async function redeliverWritten(wishId: string): Promise<void> {
  const wish = (await stack.dump()).find((item) => item.pk === `WISH#${wishId}` && item.sk === 'WISH')!;
  expect(await redeliver(wish, { ...wish, status: 'accepted' })).toEqual([]);
  await settle();
}

describe('a voter’s mail when the wish is written', () => {
  const wisher = 'wuenscherin.stimmt@example.org';
  const confirmed = 'stimme.bestaetigt@example.org';
  const unconfirmed = 'stimme.offen@example.org';
  const later = 'stimme.spaeter@example.org';
  const plain = 'ohne.haekchen@example.org';
  let wishId: string;
  const url = articleUrl('die-stimmen-sind-da');

  beforeAll(async () => {
    wishId = await acceptedWish(wisher, true);
    // The wisher votes too, from another browser, with the same address.
    for (const [email, notifyWhenWritten] of [
      [confirmed, true],
      [unconfirmed, true],
      [wisher, true],
      [plain, false],
    ] as const) {
      const response = await vote(wishId, { voterId: newVoterId(), email, notifyWhenWritten });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ wishId, votes: expect.any(Number), voted: true });
    }
    // Afterwards: she voted first, then sends her address with the same voter id.
    const laterVoter = newVoterId();
    expect((await vote(wishId, { voterId: laterVoter })).status).toBe(200);
    const added = await vote(wishId, { voterId: laterVoter, email: later, notifyWhenWritten: true });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ voted: true, votes: 5 });
    for (const address of [confirmed, wisher, later]) await confirm(address);

    await applyWishAction(wishId, 'written', { articleUrl: url }, new Date());
    await settle();
  }, 120_000);

  it('reaches every confirmed voter who asked once, the unconfirmed and the unticked never', () => {
    expect(writtenMails(confirmed, url)).toHaveLength(1);
    expect(writtenMails(later, url)).toHaveLength(1);
    expect(writtenMails(confirmed, url)[0]!.subject).toContain('für das du gestimmt hast');
    expect(writtenMails(unconfirmed, url)).toEqual([]);
    expect(stack.mailsTo(unconfirmed).every((mail) => /bestätige/.test(mail.subject))).toBe(true);
    expect(stack.mailsTo(plain)).toEqual([]);
  });

  it('sends a wisher who also voted one mail, as the wisher', () => {
    expect(theWrittenMail(wisher, url).subject).toContain('Dein Themenwunsch ist erschienen');
  });

  it('mails nobody twice when the stream delivers the record again', async () => {
    await redeliverWritten(wishId);
    for (const address of [wisher, confirmed, later]) expect(writtenMails(address, url)).toHaveLength(1);
  });

  it('gives the voter an unsubscribe link that ends her mails (everything), not the wisher’s', async () => {
    // Her vote on the next wish, with the tick, before she leaves.
    const next = await acceptedWish('jemand.anderes@example.org', false);
    expect(
      (await vote(next, { voterId: newVoterId(), email: confirmed, notifyWhenWritten: true })).status,
    ).toBe(200);
    const header = writtenMails(confirmed, url)[0]!.headers['list-unsubscribe']!;
    const link = new URL(header.slice(1, -1));
    expect((await readerPost('/readers/unsubscribe', `${link.search.slice(1)}&scope=all`)).status).toBe(200);
    const dump = await stack.dump();
    const optOuts = dump.filter((item) => item.kind === 'opt-out');
    const wish = dump.find((item) => item.pk === `WISH#${wishId}` && item.sk === 'WISH')!;
    // Exactly her address opted out: the wisher's is not.
    expect(optOuts).toHaveLength(1);
    expect(optOuts[0]!.emailHash).not.toBe(wish.emailHash);
    expect(wish.notifyWhenWritten).toBe(true);

    const nextUrl = articleUrl('nach-dem-abbestellen');
    await applyWishAction(next, 'written', { articleUrl: nextUrl }, new Date());
    await settle();
    expect(writtenMails(confirmed, nextUrl)).toEqual([]);
  });
});

describe('a merged wish: its wisher and its voters hear when the original is written', () => {
  const wisherA = 'original.wunsch@example.org';
  const wisherB = 'duplikat.wunsch@example.org';
  const wisherC = 'duplikat.vom.duplikat@example.org';
  const onlyB = 'nur.duplikat@example.org';
  const sharedVoter = 'beide.eine.stimme@example.org';
  const twice = 'beide.zwei.stimmen@example.org';
  const url = articleUrl('zusammengelegt-und-erschienen');
  let original: string;
  let duplicate: string;
  const wishBy = async (email: string, displayName: string, topic: string) => {
    const response = await wishApi.post(validWish({ email, displayName, topic, notifyWhenWritten: true }));
    const id = response.body.wish.id as string;
    expect((await applyWishAction(id, 'accept', {}, new Date())).outcome).toBe('done');
    return id;
  };

  beforeAll(async () => {
    original = await wishBy(wisherA, 'Anja', 'Preise erhöhen ohne schlechtes Gewissen');
    duplicate = await wishBy(wisherB, 'Bettina', 'Wie sage ich meinen Kundinnen, dass es teurer wird?');
    // A duplicate of the duplicate, merged before: its wisher asked about the same article.
    const older = await wishBy(wisherC, 'Carla', 'Preiserhöhung ankündigen');
    expect((await mergeWishes(older, duplicate)).outcome).toBe('done');

    const shared = newVoterId();
    const ok = async (response: Promise<{ status: number }>) => expect((await response).status).toBe(200);
    // On the original: one voter without an address, one with; the duplicate's wisher votes there too.
    await ok(vote(original, { voterId: shared }));
    await ok(vote(original, { voterId: newVoterId(), email: twice, notifyWhenWritten: true }));
    await ok(vote(original, { voterId: newVoterId(), email: wisherB, notifyWhenWritten: true }));
    // On the duplicate: the same browser gives her address only here; others vote only here.
    await ok(vote(duplicate, { voterId: shared, email: sharedVoter, notifyWhenWritten: true }));
    await ok(vote(duplicate, { voterId: newVoterId(), email: twice, notifyWhenWritten: true }));
    await ok(vote(duplicate, { voterId: newVoterId(), email: onlyB, notifyWhenWritten: true }));
    // More votes than one merge transaction may move (LIMITS.wish.mergeVotesPerTransaction).
    for (let n = 0; n < 55; n++) await ok(vote(duplicate, { voterId: newVoterId() }));
    for (const address of [wisherA, wisherB, wisherC, onlyB, sharedVoter, twice]) await confirm(address);

    const merged = await mergeWishes(duplicate, original);
    expect(merged).toMatchObject({ outcome: 'done', moved: 57, shared: 1 });
    expect(merged.outcome === 'done' && merged.wish.votes).toBe(60);
    await applyWishAction(original, 'written', { articleUrl: url }, new Date());
    await settle();
  }, 180_000);

  it('mails the duplicate’s wisher (and the wisher of a wish merged into it) as wishers, with their own words', () => {
    for (const [address, name, topic] of [
      [wisherB, 'Bettina', 'Wie sage ich meinen Kundinnen'],
      [wisherC, 'Carla', 'Preiserhöhung ankündigen'],
    ] as const) {
      const mail = theWrittenMail(address, url);
      expect(mail.subject).toContain('Dein Themenwunsch ist erschienen');
      expect(mail.text).toContain(name);
      expect(mail.text).toContain(topic);
    }
    expect(writtenMails(wisherA, url)).toHaveLength(1);
  });

  it('mails every voter of the duplicate who asked, also one whose vote on the original had no address', () => {
    for (const address of [onlyB, sharedVoter, twice])
      expect(theWrittenMail(address, url).subject).toContain('für das du gestimmt hast');
  });

  it('mails nobody twice when the stream delivers the record again', async () => {
    await redeliverWritten(original);
    for (const address of [wisherA, wisherB, wisherC, onlyB, sharedVoter, twice])
      expect(writtenMails(address, url)).toHaveLength(1);
  });
});

describe('after her erasure, nothing leads to a mail to her address', () => {
  const vera = 'vera.vergessen@example.org';
  const before = articleUrl('vor-dem-loeschen');
  const after = articleUrl('nach-dem-loeschen');
  let first: string;
  let second: string;
  let hash: string;
  let sealed: string[];

  beforeAll(async () => {
    first = await acceptedWish('erste.wuenscherin@example.org', false);
    second = await acceptedWish('zweite.wuenscherin@example.org', false);
    // Her own wish, merged into the second one: as its wisher she would hear of the second.
    const hers = (await wishApi.post(validWish({ email: vera, notifyWhenWritten: true }))).body.wish
      .id as string;
    await applyWishAction(hers, 'accept', {}, new Date());
    for (const wishId of [first, second, hers]) {
      const response = await vote(wishId, { voterId: newVoterId(), email: vera, notifyWhenWritten: true });
      expect(response.status).toBe(200);
    }
    expect((await mergeWishes(hers, second)).outcome).toBe('done');
    await confirm(vera);
    // She heard of the first wish: the mail left a marker (one mail per address) and a pointer.
    await applyWishAction(first, 'written', { articleUrl: before }, new Date());
    await settle();
    expect(writtenMails(vera, before)).toHaveLength(1);

    hash = await lookupHashOf(vera);
    sealed = (await stack.dump()).flatMap((item) =>
      item.emailHash === hash && typeof item.emailEnc === 'string' ? [item.emailEnc] : [],
    );
    expect(sealed.length).toBeGreaterThan(0);
    await eraseReaderData(vera, new Date());
    await applyWishAction(second, 'written', { articleUrl: after }, new Date());
    await settle();
  }, 120_000);

  it('sends her no mail when a wish she voted for (and her merged wish) is written', () => {
    expect(writtenMails(vera, after)).toEqual([]);
  });

  it('keeps neither her address, nor its seal, nor its hash anywhere in the table', async () => {
    const dump = JSON.stringify(await stack.dump());
    expect(dump.toLowerCase()).not.toContain(vera);
    expect(dump).not.toContain(hash);
    for (const value of sealed) expect(dump).not.toContain(value);
  });

  it('leaves no vote that still asks for the mail without an address', async () => {
    const votes = (await stack.dump()).filter(
      (item) => item.kind === 'vote' && [first, second].includes(String(item.wishId)) && item.erasedAt,
    );
    // One on the first wish, two on the second (hers moved there with the merge).
    expect(votes).toHaveLength(3);
    for (const item of votes) expect(item).not.toHaveProperty('notifyWhenWritten');
  });
});
