/**
 * `<leserpost-comments>`: the thread of a page (replies nested under their parent), "load more",
 * the comment form and one reply form at a time. One API call until the comments are visible.
 */
import { LIMITS } from '../../functions/core/limits';
import { NewCommentSchema, type PublicComment } from '../../functions/core/schemas';
import type { Kit } from './kit';

/** A visible comment this reader posted in this tab, and when. */
interface Mine {
  c: PublicComment;
  at: number;
}

/**
 * Her own visible comments of this page, kept in sessionStorage (gone with the tab) only as long
 * as a list from the edge cache or her browser's cache may still be older than them.
 */
function mine(page: string, add?: Mine): Mine[] {
  const { maxAgeSeconds, staleWhileRevalidateSeconds } = LIMITS.edgeCache;
  const name = `leserpost:mine:${page}`;
  try {
    const kept = (JSON.parse(sessionStorage.getItem(name) ?? '[]') as Mine[]).filter(
      (own) => Date.now() - own.at < (maxAgeSeconds + staleWhileRevalidateSeconds) * 1000,
    );
    if (add) sessionStorage.setItem(name, JSON.stringify([...kept, add]));
    return kept;
  } catch {
    return [];
  }
}

interface Me {
  name?: string;
  email?: string;
  website?: string;
}

export function comments(host: HTMLElement, kit: Kit, css: string, page: string): void {
  const { h, t } = kit;
  const root = kit.shell(host, css);
  const list = h('ol', { class: 'l', hidden: true });
  const empty = h('p', { class: 'hi', hidden: true }, t('empty'));
  const status = h('p', { role: 'status', class: 'st' });
  const more = h('button', { hidden: true, click: () => load() }, t('more'));
  /** Each comment's list of replies, by id. */
  const replies = new Map<string, HTMLElement>();
  const size = Math.min(
    Number(host.getAttribute('page-size')) || LIMITS.list.defaultPageSize,
    LIMITS.list.maxPageSize,
  );
  let cursor: string | null = null;
  let me: Me = (kit.store('me') as Me | null) ?? {};
  let openReply: { form: HTMLFormElement; button: HTMLButtonElement } | undefined;

  const heading = h('h2', { id: 'h' }, t('comments'));
  root.append(
    h('section', { 'aria-labelledby': 'h', lang: kit.lang }, heading, list, empty, more, status, form(null)),
  );
  load();

  async function load(): Promise<void> {
    more.hidden = true;
    const query = `?page=${encodeURIComponent(page)}&limit=${size}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    try {
      const result = await kit.api<{ comments: PublicComment[]; cursor: string | null }>(`/comments${query}`);
      status.textContent = '';
      // Her own new comments join the first page when the (cached) list does not have them yet.
      const own = cursor ? [] : mine(page);
      for (const comment of result.comments) if (!replies.has(comment.id)) add(comment);
      for (const { c } of own) if (!replies.has(c.id)) add(c);
      cursor = result.cursor;
      more.hidden = !cursor;
      list.hidden = !list.firstChild;
      empty.hidden = !list.hidden;
    } catch {
      status.textContent = t('loadFailed');
    }
  }

  /** Puts a comment in its place in the thread and returns it. */
  function add(comment: PublicComment, held = false): HTMLElement {
    const initials = (comment.name ?? '?')
      .split(/\s+/)
      .slice(0, 2)
      .map((word) => [...word][0])
      .join('')
      .toUpperCase();
    const hue = [...(comment.name ?? '')].reduce((sum, char) => sum + char.charCodeAt(0) * 7, 0) % 360;
    const body = comment.placeholder
      ? h('div', { class: 'bd' }, h('p', { class: 'hi' }, t('deleted')))
      : h(
          'div',
          { class: 'bd' },
          h(
            'p',
            { class: 'mt' },
            h('b', {}, kit.link(comment.website, comment.name)),
            ' ',
            kit.date(comment.createdAt),
          ),
          h('div', { class: 'tx' }, ...kit.richText(comment.text ?? '')),
          held && h('p', { class: 'pd' }, t('pending')),
        );
    const avatar = h('span', { class: 'av', 'aria-hidden': 'true' }, initials);
    // Set through CSSOM, not a style attribute, which a strict Content-Security-Policy would block.
    avatar.style.background = `hsl(${hue} 45% 30%)`;
    const article = h(
      'article',
      { class: 'c', tabindex: -1, 'aria-label': comment.name ?? t('deleted') },
      avatar,
      body,
    );
    const nested = h('ol', { class: 'l' });
    if (!comment.placeholder && !held) {
      const button: HTMLButtonElement = h(
        'button',
        { class: 'lk', 'aria-expanded': 'false', click: () => reply(comment, button, article) },
        t('reply'),
      );
      body.append(button);
    }
    replies.set(comment.id, nested);
    const parent = (comment.parentId && replies.get(comment.parentId)) || list;
    parent.append(h('li', {}, article, nested));
    return article;
  }

  function reply(comment: PublicComment, button: HTMLButtonElement, article: HTMLElement): void {
    const open = openReply;
    closeReply();
    if (open?.button === button) return;
    const replyForm = form(comment.id, comment.name ?? '');
    openReply = { form: replyForm, button };
    button.setAttribute('aria-expanded', 'true');
    article.after(replyForm);
    [...replyForm.querySelectorAll<HTMLInputElement>('input, textarea')].find((el) => !el.value)?.focus();
  }

  function closeReply(focus = false): void {
    if (!openReply) return;
    openReply.form.remove();
    openReply.button.setAttribute('aria-expanded', 'false');
    if (focus) openReply.button.focus();
    openReply = undefined;
  }

  function form(parentId: string | null, parentName?: string): HTMLFormElement {
    return kit.makeForm(kit, {
      label: parentId ? t('replyTo', parentName) : t('write'),
      schema: NewCommentSchema,
      submit: t('send'),
      fixed: {
        page,
        parentId,
        pageUrl: location.href.replace(/#.*/, ''),
        pageTitle: document.title.slice(0, LIMITS.pageTitle.maxChars) || undefined,
      },
      fields: [
        { name: 'name', required: true, autocomplete: 'name', value: me.name, keep: true },
        {
          name: 'email',
          type: 'email',
          hint: t('emailHint'),
          required: true,
          autocomplete: 'email',
          value: me.email,
          keep: true,
        },
        { name: 'website', type: 'url', autocomplete: 'url', value: me.website, keep: true },
        { name: 'text', type: 'textarea', required: true },
        { name: 'notifyReplies', type: 'checkbox' },
        { name: 'consent', type: 'checkbox', required: true },
        { name: 'local', type: 'checkbox', value: !!me.name, keep: true },
      ],
      actions: parentId ? [h('button', { type: 'button', click: () => closeReply(true) }, t('cancel'))] : [],
      send: (body, key) =>
        kit.api<{ comment: PublicComment; visible: boolean }>('/comments', 'POST', body, key),
      done: (result, values) => {
        me = {
          name: values.name as string,
          email: values.email as string,
          website: values.website as string,
        };
        // Remembered only when the reader ticks the box; unticking forgets.
        kit.store('me', values.local ? me : null);
        closeReply();
        if (result.visible) mine(page, { c: result.comment, at: Date.now() });
        const article = add(result.comment, !result.visible);
        list.hidden = false;
        empty.hidden = true;
        status.textContent = t(result.visible ? 'thanks' : 'thanksHeld');
        article.focus();
        return undefined;
      },
    });
  }
}
