/**
 * The form chunk (the wish form's texts too): everything a reader needs to write, loaded after the comments are on screen
 * (when the browser is idle, or at once when she asks to reply or edit): the form builder, valibot
 * with the shared schemas (the very ones the API validates with), the spam-guard client and the
 * proof-of-work solver, and the form texts. It takes DOM helpers and the API from the main
 * script's kit, so no code ships twice.
 */
import * as v from 'valibot';
import { LIMITS } from '../../functions/core/limits';
import { commentAnchor } from '../../functions/core/page';
import {
  EditCommentSchema,
  EmailSchema,
  NewCommentSchema,
  NewWishSchema,
  type OwnStatus,
  type PublicWish,
  VoterIdSchema,
} from '../../functions/core/schemas';
import { type FieldSpec, makeForm } from './form';
import type { Kit } from './kit';
import type { Mine } from './mine';

/** What the reader asked this browser to remember for her next comment. */
export interface Me {
  name?: string;
  email?: string;
  website?: string;
}

/** The form texts, as in texts.ts: `key|Deutsch|English`, one a line. */
export const TEXTS = `write|Kommentar schreiben|Write a comment
replyTo|Antwort an {n}|Reply to {n}
cancel|Abbrechen|Cancel
thanks|Danke für deinen Kommentar!|Thank you for your comment!
thanksHeld|Danke! Dein Kommentar erscheint nach der Freigabe.|Thank you! Your comment will appear once approved.
name|Name
email|E-Mail|Email
emailHint|Wird nicht veröffentlicht.|Will not be published.
website|Website
text|Kommentar|Comment
textHint|Formatierung: **fett**, _kursiv_, \`Code\`, [Link](https://…), - Liste, > Zitat|Formatting: **bold**, _italic_, \`code\`, [link](https://…), - list, > quote
consent|Meine Angaben dürfen gespeichert werden, damit mein Beitrag erscheint.|My details may be stored so that my post can appear.
privacy|Datenschutz|Privacy
myData|Meine Daten|My data
local|Angaben in diesem Browser merken|Remember me in this browser
requiredNote|* Pflichtfeld|* Required
send|Kommentar senden|Post comment
save|Speichern|Save
editing|Kommentar bearbeiten|Edit comment
sending|Wird gesendet …|Sending …
check|Bitte prüfe die markierten Felder.|Please check the marked fields.
e_required|Bitte ausfüllen.|Please fill this in.
e_too_short|Zu kurz.|Too short.
e_too_long|Zu lang.|Too long.
e_invalid_characters|Enthält unzulässige Zeichen.|Contains characters that are not allowed.
e_invalid_email|Bitte eine gültige E-Mail-Adresse angeben.|Please enter a valid email address.
e_invalid_url|Bitte eine gültige Adresse angeben, z. B. kim-design.de.|Please enter a valid address, e.g. kim-design.de.
e_consent_required|Bitte stimme zu.|Please agree.
e_invalid|Ungültig.|Not valid.
newWish|Thema wünschen|Wish for a topic
topic|Thema|Topic
details|Was genau interessiert dich?|What exactly would you like to know?
displayName|Dein Name|Your name
showName|Meinen Namen beim Wunsch zeigen|Show my name with the wish
wishEmailHint|Wird nicht veröffentlicht. Nur für Rückfragen und, wenn du willst, die Nachricht zum fertigen Beitrag.|Will not be published. Only for questions and, if you like, the note when the article is out.
notifyWhenWritten|Schreib mir, wenn der Beitrag erschienen ist|Tell me when the article is published
notifyReplies|Benachrichtige mich bei Antworten (nach Bestätigung per Mail)|Notify me of replies (after confirming by mail)
sendWish|Wunsch senden|Send wish
s_new|Wartet auf Freigabe|Awaiting approval
voted|Deine Stimme ist gezählt.|Your vote has been counted.
unvoted|Deine Stimme ist zurückgenommen.|Your vote has been taken back.
voteMail|Möchtest du erfahren, wenn der Beitrag erscheint?|Would you like to hear when the article is out?
voteMailHint|Wird nicht veröffentlicht. Nur für diese eine Nachricht, nach Bestätigung per Mail.|Will not be published. Only for this one note, after you confirm by mail.
voteMailSend|Eintragen|Sign up
voteMailThanks|Danke! Bitte bestätige deine Adresse über den Link in der Mail, die gleich kommt.|Thank you! Please confirm your address with the link in the mail that is on its way.
wishThanks|Danke! Dein Wunsch wird kurz geprüft und erscheint dann auf der Liste.|Thank you! Your wish will be checked briefly and then appear on the board.
heldGone|Dein zurückgehaltener Kommentar wurde nicht veröffentlicht.|Your held comment was not published.
wishGone|Dein Wunsch „{n}“ wurde nicht auf die Liste genommen.|Your wish “{n}” was not put on the board.`;

/** The comment text field (new comment and edit); here, not in the main script, to keep it small. */
const text = (kit: Kit, value?: string): FieldSpec => ({
  name: 'text',
  type: 'textarea',
  required: true,
  value,
  hint: kit.t('textHint'),
});

/** Her address (never published), prefilled when she asked us to remember it. */
const email = (hint: string, me: Me): FieldSpec => ({
  name: 'email',
  type: 'email',
  hint,
  required: true,
  autocomplete: 'email',
  value: me.email,
  keep: true,
});

const consent: FieldSpec = { name: 'consent', type: 'checkbox', required: true };

/** The comment form's fields, prefilled with what she asked us to remember. */
export const commentFields = (kit: Kit, me: Me): FieldSpec[] => [
  { name: 'name', required: true, autocomplete: 'name', value: me.name, keep: true },
  email(kit.t('emailHint'), me),
  { name: 'website', type: 'url', autocomplete: 'url', value: me.website, keep: true },
  text(kit),
  { name: 'notifyReplies', type: 'checkbox' },
  consent,
  { name: 'local', type: 'checkbox', value: !!me.name, keep: true },
];

/** The wish form's fields (in this chunk, not the board's, to keep the wishes page small). */
export const wishFields = (kit: Kit, me: Me): FieldSpec[] => [
  { name: 'topic', required: true },
  { name: 'details', type: 'textarea' },
  { name: 'displayName', autocomplete: 'name', value: me.name, keep: true },
  { name: 'showName', type: 'checkbox', keep: true },
  email(kit.t('wishEmailHint'), me),
  { name: 'notifyWhenWritten', type: 'checkbox' },
  consent,
];

/** The edit form's one field. */
export const editFields = (kit: Kit, value: string): FieldSpec[] => [text(kit, value)];

export const schemas = { NewCommentSchema, EditCommentSchema };

import { formGuard } from './guard';

export { formGuard, makeForm };
export type FormChunk = typeof import('./forms');

/**
 * What became of her items (`comments` or `wishes`), asked with the key her browser keeps for each
 * (POST, so no key is in a URL or a cache); nothing when the API cannot say just now.
 */
async function statusOf(
  kit: Kit,
  kind: 'comments' | 'wishes',
  items: { id: string; key: string }[],
): Promise<Record<string, OwnStatus>> {
  if (!items.length) return {};
  return kit
    .api<{ statuses: Record<string, OwnStatus> }>(`/${kind}/status`, 'POST', {
      items: items.slice(-LIMITS.ownStatus.maxItems),
    })
    .then(
      (answer) => answer.statuses,
      () => ({}),
    );
}

/**
 * Takes an item of hers out of its list and says once why (`note`, into the list's status line);
 * an emptied top list gives way to its "nothing yet" line, the element right after it.
 */
function drop(root: ShadowRoot, item: Element | null | undefined, note: string): void {
  const list = item?.parentElement;
  item?.remove();
  root.querySelector('.st')!.textContent = note;
  const empty = list?.firstChild ? null : list?.nextElementSibling;
  if (empty?.matches('p')) (empty as HTMLElement).hidden = false;
}

/**
 * Her held comments of this page: the API tells (with each one's edit key) whether it still waits;
 * approved, it loses its mark and from then on comes with the list like any other (wherever it sorts);
 * spam or deleted, it leaves her browser with one note. Nothing tells anyone else.
 */
export async function settleHeld(kit: Kit, root: ShadowRoot, page: string): Promise<void> {
  // Only entries this widget wrote (storage may hold anything: another script's, a broken one).
  const held = Object.entries((kit.store('mine') as Mine | null) ?? {}).filter(
    ([, entry]) => Array.isArray(entry) && entry[2]?.status === 'pending' && entry[2].page === page,
  );
  if (!held.length) return;
  const statuses = await statusOf(
    kit,
    'comments',
    held.map(([id, [key]]) => ({ id, key })),
  );
  const all = (kit.store('mine') as Mine | null) ?? {};
  for (const [id, [editKey, until]] of held) {
    const status = statuses[id];
    if (!status || status === 'pending') continue;
    const article = root.getElementById(commentAnchor(id));
    if (status === 'visible') {
      article?.querySelector('.pd')?.remove();
      // Approved: she may answer under it now (its reply button, hidden while it was held).
      article?.querySelector('[aria-expanded]')?.removeAttribute('hidden');
      // The key still works for the rest of its window; the comment itself comes with the list.
      if (all[id]) all[id] = [editKey, until];
    } else {
      drop(root, article?.parentElement, kit.t('heldGone'));
      delete all[id];
    }
  }
  kit.store('mine', all);
}

type MyWishes = [until: number, wish: PublicWish, key?: string][];

/**
 * Her own new wishes (localStorage, no cookies), kept while they wait, at most
 * LIMITS.wish.pendingShownSeconds: `show` gets each one that is not on the board in `root`, now and
 * again after each new first page (`again`, after a re-sort). The API tells her browser (with each
 * wish's key) when one is on the board (it leaves her list) or was not taken (it leaves with a note).
 */
export function myWishes(kit: Kit, root: ShadowRoot, show: (wish: PublicWish) => void) {
  // Only entries this widget wrote: storage may hold anything (another script's, a broken one).
  const kept = () =>
    ([kit.store('wishes')].flat() as MyWishes).filter(
      (entry) => Array.isArray(entry) && entry[0] > Date.now() && typeof entry[1]?.id === 'string',
    );
  // Nothing left to keep: nothing stays in her browser.
  const keep = (mine: MyWishes) => kit.store('wishes', mine.length ? mine : null);
  /** Shows those the fresh first page does not have; one it has is on the board: forgotten. */
  const again = () => {
    const mine = kept().filter(([, { id }]) => !root.getElementById(`w${id}`));
    keep(mine);
    for (const [, wish] of mine) show(wish);
  };
  again();
  statusOf(
    kit,
    'wishes',
    kept().flatMap(([, { id }, key]) => (key ? [{ id, key }] : [])),
  ).then((statuses) => {
    keep(
      kept().filter(([, { id, topic }]) => {
        const status = statuses[id];
        if (!status || status === 'pending') return true;
        // Her waiting copy (marked `new`), never the board's own entry of the wish.
        const shown = root.getElementById(`w${id}`)?.parentElement?.querySelector('.new')?.closest('li');
        if (status === 'gone') drop(root, shown, kit.t('wishGone', topic));
        // On the board now (wherever it sorts): her copy goes.
        else shown?.remove();
        return false;
      }),
    );
  });
  return {
    again,
    add(wish: PublicWish, key: string): void {
      keep([...kept(), [Date.now() + LIMITS.wish.pendingShownSeconds * 1000, wish, key]]);
      show(wish);
    },
  };
}

/** The wish form (here, not in the board's chunk, to keep the wishes page small); each wish gets its own key. */
export function wishForm(
  kit: Kit,
  level: 'h2' | 'h3',
  me: Me,
  own: ReturnType<typeof myWishes>,
): HTMLFormElement {
  const fixed = { wishKey: kit.randomId() };
  return makeForm(kit, {
    label: kit.t('newWish'),
    level,
    schema: NewWishSchema,
    submit: kit.t('sendWish'),
    fixed,
    fields: wishFields(kit, me),
    send: (body, key) => kit.api<{ wish: PublicWish }>('/wishes', 'POST', body, key),
    done: ({ wish }) => {
      own.add(wish, fixed.wishKey);
      fixed.wishKey = kit.randomId();
      return kit.t('wishThanks');
    },
  });
}

/**
 * The random id her votes carry, kept in this browser; one the API would refuse (a hand-edited or
 * broken entry) is replaced, or she could never vote again.
 */
export function voterId(kit: Kit): string {
  const kept = kit.store('voter');
  const id = v.is(VoterIdSchema, kept) ? kept : kit.randomId();
  kit.store('voter', id);
  return id;
}

/** What the vote's address form checks in the browser; the API checks the same with the vote. */
const VoteMailSchema = v.object({
  email: EmailSchema,
  notifyWhenWritten: v.literal(true, 'consent_required'),
});

/**
 * After her vote, under it: her address for the one mail when the wish is written, with the
 * unticked "Schreib mir …" (double opt-in: a confirmation mail comes first). Sent as the same vote
 * again with the address, which only adds it. Taking the vote back takes the form away.
 */
export function voteMail(
  kit: Kit,
  said: HTMLElement,
  wishId: string,
  voterId: string,
  show: boolean,
  me: Me,
): void {
  const row = said.parentElement!;
  const open = row.nextElementSibling?.matches('form');
  if (open && !show) row.nextElementSibling!.remove();
  if (open || !show) return;
  row.after(
    makeForm(kit, {
      label: kit.t('voteMail'),
      schema: VoteMailSchema,
      submit: kit.t('voteMailSend'),
      fields: [email(kit.t('voteMailHint'), me), { name: 'notifyWhenWritten', type: 'checkbox' }],
      // The form's own guard solved a proof of work: the vote route wants it, not the form token.
      send: (body) => {
        const { email: address, pow } = body as { email: string; pow?: string };
        return kit.api(`/wishes/${encodeURIComponent(wishId)}/vote`, 'POST', {
          voterId,
          email: address,
          notifyWhenWritten: true,
          ...(pow && { pow }),
        });
      },
      done: () => kit.t('voteMailThanks'),
    }),
  );
}
