/**
 * `<leserpost-compliments>`, loaded only where the element is placed: the compliments the author
 * shows publicly (a starred comment links to its post), newest first, more on request. It gets
 * everything shared from the main script's kit, so it imports no code.
 */
import type { PublicCompliment } from '../../functions/core/schemas';
import complimentCss from './compliments.css';
import type { Kit } from './kit';

/** Its texts, as in texts.ts: `key|Deutsch|English`, one a line. */
const TEXTS = `compliments|Das sagen Leser:innen|What readers say
noCompliments|Noch keine Komplimente.|No compliments yet.
moreCompliments|Weitere Komplimente|More compliments
complimentsFailed|Die Komplimente konnten nicht geladen werden.|The compliments could not be loaded.
onPost|zum Beitrag|on the post`;

export function compliments(host: HTMLElement, kit: Kit, css: string): void {
  const { h, t } = kit;
  kit.addTexts(TEXTS);
  const root = kit.shell(host, css + complimentCss);
  const list = h('ul', { class: 'l' });
  const empty = h('p', { class: 'hi', hidden: true }, t('noCompliments'));
  const status = h('p', { role: 'status', class: 'st' });
  const more = h('button', { hidden: true, click: () => load() }, t('moreCompliments'));
  // A page that has its own heading turns ours off.
  const bare = host.hasAttribute('no-heading');
  let cursor: string | null = null;

  root.append(
    h(
      'section',
      bare ? { 'aria-label': t('compliments'), lang: kit.lang } : { 'aria-labelledby': 'h', lang: kit.lang },
      !bare && h('h2', { id: 'h' }, t('compliments')),
      list,
      empty,
      more,
      status,
    ),
  );
  load();

  async function load(): Promise<void> {
    more.hidden = true;
    try {
      const result = await kit.api<{ comments: PublicCompliment[]; cursor: string | null }>(
        `/compliments${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      status.textContent = '';
      // One entry the widget cannot show (a broken answer) leaves out only itself.
      for (const entry of result.comments)
        try {
          list.append(item(entry));
        } catch {}
      cursor = result.cursor;
      more.hidden = !cursor;
      empty.hidden = !!list.firstChild;
    } catch {
      status.textContent = t('complimentsFailed');
    }
  }

  function item(entry: PublicCompliment): HTMLElement {
    const post = kit.httpUrl(entry.page);
    return h(
      'li',
      { class: 'ki' },
      h('blockquote', { class: 'tx' }, ...(entry.md ? kit.tree(entry.md) : kit.richText(entry.text ?? ''))),
      h(
        'p',
        { class: 'mt' },
        entry.name && h('b', {}, entry.name),
        entry.name && ' · ',
        kit.date(entry.createdAt),
        post && ' · ',
        post && h('a', { href: post }, t('onPost')),
      ),
    );
  }
}
