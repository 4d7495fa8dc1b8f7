/**
 * `<leserpost-wishes>`, loaded only where the element is placed: the wish board (status, votes,
 * links to written articles), sorting, voting with a random voter id kept in this browser, and
 * the wish form. It gets everything shared from the main script's kit, so it imports no code.
 */
import type { PublicWish } from '../../functions/core/schemas';
import type { FormChunk, Me } from './forms';
import type { Kit } from './kit';
import wishCss from './wishes.css';

/** The board's texts, as in texts.ts: `key|Deutsch|English`, one a line. */
const TEXTS = `wishes|Themenwünsche|Topic wishes
intro|Wünsch dir ein Thema! Andere Leser:innen stimmen mit, und über die beliebtesten Wünsche schreibe ich.|Wish for a topic! Other readers vote, and I write about the most popular wishes.
sort|Sortierung|Sort order
byVotes|Beliebteste|Most votes
newest|Neueste|Newest
none|Noch keine Wünsche auf der Liste. Fang an!|No wishes on the board yet. Start one!
wishFailed|Die Wunschliste konnte nicht geladen werden.|The wish board could not be loaded.
moreWishes|Weitere Wünsche laden|Load more wishes
s_accepted|Auf der Liste|On the list
s_planned|Geplant|Planned
s_written|Geschrieben|Written
by|gewünscht von {n}|wished for by {n}
read|Zum Beitrag|Read the article
vote|Dafür stimmen|Vote for this
unvote|Stimme zurücknehmen|Take back my vote`;

type Sort = 'votes' | 'newest';

export function wishes(host: HTMLElement, kit: Kit, css: string): void {
  const { h, t } = kit;
  kit.addTexts(TEXTS);
  const root = kit.shell(host, css + wishCss);
  const list = h('ol', { class: 'l w' });
  const empty = h('p', { class: 'hi', hidden: true }, t('none'));
  const status = h('p', { role: 'status', class: 'st' });
  const more = h('button', { hidden: true, click: () => load() }, t('moreWishes'));
  const sorts = (['votes', 'newest'] as Sort[]).map((value) =>
    h(
      'button',
      { 'aria-pressed': String(value === 'votes'), click: () => resort(value) },
      t(value === 'votes' ? 'byVotes' : 'newest'),
    ),
  );
  let sort: Sort = 'votes';
  let cursor: string | null = null;
  /** Counts the list's requests: only the latest one's answer is shown. */
  let loads = 0;
  // Whatever the entry holds (a number, an object), it is a list: the board still shows.
  const voted = new Set([kit.store('voted')].flat() as string[]);
  const me = (kit.store('me') as Me | null) ?? {};
  const slot = h('div');
  // A page that has its own heading and intro turns ours off.
  const bare = host.hasAttribute('no-heading');

  root.append(
    h(
      'section',
      bare ? { 'aria-label': t('wishes'), lang: kit.lang } : { 'aria-labelledby': 'h', lang: kit.lang },
      !bare && h('h2', { id: 'h' }, t('wishes')),
      !bare && h('p', {}, t('intro')),
      h('div', { role: 'group', 'aria-label': t('sort'), class: 'ac' }, ...sorts),
      list,
      empty,
      more,
      status,
      slot,
    ),
  );
  // Her own wishes still waiting for the author: only she sees them, marked (the form chunk keeps them).
  let own: ReturnType<FormChunk['myWishes']> | undefined;
  // A vote needs the proof of work a comment needs: fetched and solved once she nears the board.
  const prepare = () =>
    kit.form().then((chunk) => {
      own = chunk.myWishes(kit, root, (wish) => {
        put(wish, true);
        empty.hidden = !!list.firstChild;
      });
      slot.replaceWith(chunk.wishForm(kit, bare ? 'h2' : 'h3', me, own));
      const guard = chunk.formGuard(kit.api);
      for (const event of ['pointerover', 'focusin'])
        list.addEventListener(event, guard.start, { once: true });
      return [chunk, guard] as const;
    });
  let voteGuard = load().then(prepare);
  // A form chunk that did not arrive: the board says so, and her next vote fetches it again.
  voteGuard.catch(() => {
    status.textContent = t('offline');
  });

  function resort(value: Sort): void {
    sort = value;
    for (const button of sorts)
      button.setAttribute('aria-pressed', String(button === sorts[value === 'votes' ? 0 : 1]));
    cursor = null;
    list.replaceChildren();
    load().then(() => own?.again());
  }

  /** A wish into the list; one the widget cannot show (a broken answer or entry) leaves out only itself. */
  function put(wish: PublicWish, first?: boolean): void {
    try {
      list[first ? 'prepend' : 'append'](item(wish));
    } catch {}
  }

  async function load(): Promise<void> {
    more.hidden = true;
    // A slow answer of a sort order she has left since is dropped, not added to the new one.
    const asked = ++loads;
    try {
      const result = await kit.api<{ wishes: PublicWish[]; cursor: string | null }>(
        `/wishes?sort=${sort}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (asked !== loads) return;
      status.textContent = '';
      for (const wish of result.wishes) put(wish);
      cursor = result.cursor;
      more.hidden = !cursor;
      empty.hidden = !!list.firstChild;
    } catch {
      status.textContent = t('wishFailed');
    }
  }

  function item(wish: PublicWish): HTMLElement {
    const id = `w${wish.id}`;
    const count = h('span', { class: 'vc' });
    // The vote's confirmation next to its button, announced to screen readers.
    const said = h('span', { role: 'status', class: 'hi' });
    const showCount = (votes: number) => {
      count.textContent = votes === 1 ? t('vote1') : t('votes', votes);
    };
    showCount(wish.votes);
    // Votes go to open wishes on the board, not to written ones nor to her own pending one.
    const button: HTMLButtonElement | false =
      ['accepted', 'planned'].includes(wish.status) &&
      h('button', {
        'aria-describedby': id,
        click: () => vote(wish, button as HTMLButtonElement, showCount, said),
      });
    if (button) button.textContent = t(voted.has(wish.id) ? 'unvote' : 'vote');
    const article = kit.httpUrl(wish.articleUrl);
    return h(
      'li',
      { class: 'wi' },
      h(bare ? 'h2' : 'h3', { id }, wish.topic),
      h(
        'p',
        { class: 'mt' },
        h('span', { class: `sx ${wish.status}` }, t(`s_${wish.status}`)),
        wish.publicName && ` ${t('by', wish.publicName)}`,
        ' · ',
        kit.date(wish.createdAt),
      ),
      wish.details && h('div', { class: 'tx' }, ...kit.richText(wish.details)),
      article && h('p', {}, h('a', { href: article }, t('read'))),
      h('p', { class: 'vt' }, count, button, said),
    );
  }

  async function vote(
    wish: PublicWish,
    button: HTMLButtonElement,
    showCount: (votes: number) => void,
    said: HTMLElement,
  ): Promise<void> {
    const undo = voted.has(wish.id);
    let nowVoted = !undo;
    // The chunk brings the proof of work, the texts after a vote, the form for her address and her voter id.
    voteGuard = voteGuard.catch(prepare);
    const [chunk, guard] = await voteGuard;
    const voterId = chunk.voterId(kit);
    try {
      const { pow } = undo ? {} : await guard.fields(false);
      const result = await kit.api<{ votes: number; voted: boolean }>(
        `/wishes/${encodeURIComponent(wish.id)}/vote`,
        undo ? 'DELETE' : 'POST',
        { voterId, ...(pow && { pow }) },
      );
      showCount(result.votes);
      said.textContent = t(nowVoted ? 'voted' : 'unvoted');
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Another tab already did it: the board just catches up.
      if (code === 'already_voted') nowVoted = true;
      else if (code === 'not_voted') nowVoted = false;
      else {
        nowVoted = undo;
        said.textContent = (error as { message?: string }).message || t('offline');
      }
    }
    if (nowVoted) voted.add(wish.id);
    else voted.delete(wish.id);
    kit.store('voted', [...voted]);
    button.textContent = t(nowVoted ? 'unvote' : 'vote');
    chunk.voteMail(kit, said, wish.id, voterId, nowVoted && !undo, me);
  }
}
