/**
 * `<leserpost-comments>`: the thread of a page (replies nested under their parent), oldest or
 * newest first, "load more", a permalink to every comment, the author's mark, and the reader's own
 * comments editable for a while. One API call until the comments are visible; the form comes with
 * the form chunk once the browser is idle (or at once, when she asks to reply or edit).
 */
import { LIMITS } from '../../functions/core/limits';
import { commentAnchor } from '../../functions/core/page';
import type { PublicComment } from '../../functions/core/schemas';
import type { FormChunk, Me } from './forms';
import type { Kit } from './kit';
import { mine } from './mine';

type Order = 'oldest' | 'newest';

export function comments(host: HTMLElement, kit: Kit, css: string, page: string): void {
  const { h, t } = kit;
  const root = kit.shell(host, css);
  const list = h('ol', { class: 'l', hidden: true });
  const empty = h('p', { class: 'hi', hidden: true }, t('empty'));
  const status = h('p', { role: 'status', class: 'st' });
  const more = h('button', { hidden: true, click: () => load() }, t('more'));
  const slot = h('div');
  const own = mine(kit);
  /** Each comment's list of replies, by id; replies that came before their parent (newest first), by parent. */
  const replies = new Map<string, HTMLElement>();
  const orphans = new Map<string, HTMLElement[]>();
  // A whole number from 1 to the maximum, whatever the attribute says ("-5", "2.5", "1e9").
  const size = Math.min(
    Math.abs(~~Number(host.getAttribute('page-size'))) || LIMITS.list.defaultPageSize,
    LIMITS.list.maxPageSize,
  );
  let order: Order = 'oldest';
  let cursor: string | null = null;
  /** Counts the list's requests: only the latest one's answer is shown. */
  let loads = 0;
  let me: Me = (kit.store('me') as Me | null) ?? {};
  let openReply: { form: HTMLFormElement; button: HTMLButtonElement } | undefined;
  const orders = (['oldest', 'newest'] as Order[]).map((value) =>
    h('button', { 'aria-pressed': String(value === order), click: () => reorder(value) }, t(value)),
  );

  root.append(
    h(
      'section',
      { 'aria-labelledby': 'h', lang: kit.lang },
      h('h2', { id: 'h' }, t('comments')),
      h('div', { role: 'group', 'aria-label': t('order'), class: 'ac' }, ...orders),
      list,
      empty,
      more,
      status,
      slot,
      h(
        'p',
        { class: 'hi' },
        h(
          'a',
          {
            href: `${kit.apiBase}/feeds/comments?page=${encodeURIComponent(page)}`,
            type: 'application/rss+xml',
          },
          t('feed'),
        ),
      ),
    ),
  );
  load().then(() => {
    // The form when the reader is not waiting for anything else: never while she types. A page that
    // is never idle (ads, animations) still gets it after a second.
    (window.requestIdleCallback ?? setTimeout)(
      () =>
        kit.form().then(
          (chunk) => {
            slot.replaceWith(form(chunk, null));
            chunk.settleHeld(kit, root, page);
          },
          () => {
            status.textContent = t('offline');
          },
        ),
      { timeout: 1e3 },
    );
  });
  addEventListener('hashchange', () => reveal());

  function reorder(value: Order): void {
    order = value;
    orders.forEach((button, i) => {
      button.setAttribute('aria-pressed', String(i === (value === 'oldest' ? 0 : 1)));
    });
    cursor = null;
    replies.clear();
    list.replaceChildren();
    load();
  }

  async function load(): Promise<void> {
    more.hidden = true;
    // A slow answer of an order she has left since is dropped, not mixed into the new one.
    const asked = ++loads;
    const known = replies.size;
    const query = `?page=${encodeURIComponent(page)}&order=${order}&limit=${size}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    try {
      const result = await kit.api<{ comments: PublicComment[]; cursor: string | null }>(`/comments${query}`);
      if (asked !== loads) return;
      status.textContent = '';
      // Her own new comments join the first page when the (cached) list does not have them yet, and
      // her held ones, marked: only this browser shows them.
      const fresh = cursor ? [] : own.fresh(page);
      // One comment the widget cannot show (a broken answer or entry) leaves out only itself.
      for (const comment of [...result.comments, ...fresh])
        try {
          replies.has(comment.id) || add(comment);
        } catch {}
      cursor = result.cursor;
      more.hidden = !cursor;
      list.hidden = !list.firstChild;
      empty.hidden = !list.hidden;
      // A link to a comment on a later page: load on until it is there, or until a page brings
      // nothing new (a cache that ignores the cursor would answer the same page for ever).
      if (!reveal() && cursor && replies.size > known && location.hash.startsWith(`#${commentAnchor('')}`))
        await load();
    } catch {
      status.textContent = t('loadFailed');
    }
  }

  /** Scrolls to and marks the comment the address points at; false when it is not (yet) shown. */
  function reveal(): boolean {
    // Taken as it is: ids need no decoding, and a broken escape (`#kommentar-%E0`) must not throw.
    const target = root.getElementById(location.hash.slice(1));
    if (!target?.matches('article')) return false;
    root.querySelector('.hl')?.classList.remove('hl');
    target.classList.add('hl');
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    return true;
  }

  /** Puts a comment in its place in the thread and returns it. */
  function add(comment: PublicComment): HTMLElement {
    const article = h('article', {
      class: 'c',
      id: commentAnchor(comment.id),
      tabindex: -1,
      'aria-label': comment.name ?? t('deleted'),
    });
    const nested = h('ol', { class: 'l' });
    fill(article, comment);
    replies.set(comment.id, nested);
    const item = h('li', {}, article, nested);
    const parent = comment.parentId && replies.get(comment.parentId);
    if (!parent && comment.parentId)
      orphans.set(comment.parentId, [...(orphans.get(comment.parentId) ?? []), item]);
    (parent || list).append(item);
    // Replies shown before their parent (newest first) move under it.
    nested.append(...(orphans.get(comment.id) ?? []));
    return article;
  }

  function fill(article: HTMLElement, comment: PublicComment): void {
    const held = comment.status === 'pending';
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
            comment.byAuthor && h('span', { class: 'au' }, comment.authorLabel || t('author')),
            ' ',
            h('a', { href: `#${article.id}` }, kit.date(comment.createdAt)),
            comment.editedAt && ` · ${t('edited')}`,
          ),
          h(
            'div',
            { class: 'tx' },
            ...(comment.md ? kit.tree(comment.md) : kit.richText(comment.text ?? '')),
          ),
          held && h('p', { class: 'pd' }, t('pending')),
        );
    const avatar = h('span', { class: 'av', 'aria-hidden': 'true' }, initials);
    // Set through CSSOM, not a style attribute, which a strict Content-Security-Policy would block.
    avatar.style.background = `hsl(${hue} 45% 30%)`;
    article.replaceChildren(avatar, body);
    if (comment.placeholder) return;
    // A held comment's reply button waits hidden until the API says it is approved (settleHeld).
    const button: HTMLButtonElement = h(
      'button',
      { class: 'lk', hidden: held, 'aria-expanded': 'false', click: () => reply(comment, button, article) },
      t('reply'),
    );
    const actions = h('div', { class: 'ac' }, button);
    const key = own.get(comment.id);
    if (key) {
      actions.append(
        h('button', { class: 'lk', click: () => edit(comment, key[0], article) }, t('edit')),
        h('button', { class: 'lk', click: () => remove(comment, key[0], article) }, t('delete')),
      );
      // After the window the key is useless: the controls go.
      setTimeout(() => {
        for (const button of actions.querySelectorAll('button'))
          if (button.textContent !== t('reply')) button.remove();
      }, key[1] - Date.now());
    }
    body.append(actions);
  }

  async function remove(comment: PublicComment, editKey: string, article: HTMLElement): Promise<void> {
    if (!confirm(t('sure'))) return;
    try {
      await kit.api(`/comments/${comment.id}`, 'DELETE', { editKey });
      own.remove(comment.id);
      fill(article, { ...comment, placeholder: true });
      article.focus();
    } catch (error) {
      status.textContent = (error as { message?: string }).message || t('offline');
    }
  }

  async function edit(comment: PublicComment, editKey: string, article: HTMLElement): Promise<void> {
    const { makeForm, schemas, editFields } = await kit.form();
    const editor: HTMLFormElement = makeForm(kit, {
      label: t('editing'),
      schema: schemas.EditCommentSchema,
      submit: t('save'),
      fixed: { editKey },
      fields: editFields(kit, comment.text ?? ''),
      actions: [
        h(
          'button',
          {
            type: 'button',
            click: () => {
              editor.replaceWith(article);
              article.focus();
            },
          },
          t('cancel'),
        ),
      ],
      send: (body) =>
        kit.api<{ comment: PublicComment; visible: boolean }>(`/comments/${comment.id}`, 'PATCH', body),
      done: (result) => {
        fill(article, result.comment);
        editor.replaceWith(article);
        article.focus();
        return undefined;
      },
    });
    article.replaceWith(editor);
    editor.querySelector('textarea')!.focus();
  }

  async function reply(
    comment: PublicComment,
    button: HTMLButtonElement,
    article: HTMLElement,
  ): Promise<void> {
    const open = openReply;
    closeReply();
    if (open?.button === button) return;
    const replyForm = form(await kit.form(), comment.id, comment.name ?? '');
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

  /** The comment form, built with the form chunk. */
  function form(chunk: FormChunk, parentId: string | null, parentName?: string): HTMLFormElement {
    const fixed = {
      page,
      parentId,
      pageUrl: location.href.replace(/#.*/, ''),
      pageTitle: document.title.slice(0, LIMITS.pageTitle.maxChars) || undefined,
      editKey: kit.randomId(),
    };
    return chunk.makeForm(kit, {
      label: parentId ? t('replyTo', parentName) : t('write'),
      schema: chunk.schemas.NewCommentSchema,
      submit: t('send'),
      fixed,
      fields: chunk.commentFields(kit, me),
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
        own.add(result.comment.id, fixed.editKey, result.comment);
        // The next comment from this form gets a key of its own.
        fixed.editKey = kit.randomId();
        closeReply();
        const article = add(result.comment);
        list.hidden = false;
        empty.hidden = true;
        status.textContent = t(result.visible ? 'thanks' : 'thanksHeld');
        article.focus();
        return undefined;
      },
    });
  }
}
