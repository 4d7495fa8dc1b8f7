/**
 * The form fields of the desk's POST routes, for the OpenAPI document: what each handler reads
 * from the posted form (a browser's form, url-encoded; the two file uploads as multipart). The
 * session's form token (`csrf`) is added to every route that needs a session.
 */
import { LIMITS } from './limits';

type JsonSchema = Record<string, unknown>;

export interface DeskForm {
  /** A file upload (multipart/form-data); else application/x-www-form-urlencoded. */
  multipart?: true;
  fields: Record<string, JsonSchema>;
  required?: string[];
}

const text = (description: string, maxLength?: number): JsonSchema => ({
  type: 'string',
  description,
  ...(maxLength ? { maxLength } : {}),
});
const oneOf = (values: readonly string[], description: string): JsonSchema => ({
  enum: [...values],
  description,
});
const ticked = (description: string): JsonSchema => oneOf(['1'], `\`1\` when ticked: ${description}`);
const ulid = (description: string): JsonSchema => ({
  type: 'string',
  pattern: '^[0-9A-HJKMNP-TV-Z]{26}$',
  description,
});
const file = (description: string): JsonSchema => ({ type: 'string', format: 'binary', description });
/** Every way to sign in carries the page she asked for (core/desk/return-path.tsx). */
const next = text(
  'The desk page to open after signing in (a path under /desk); anything else opens the inbox.',
  LIMITS.desk.returnPathMaxChars,
);

/** The compliment she enters by hand (checked by schemas.ts HandComplimentSchema). */
const handCompliment: Record<string, JsonSchema> = {
  text: text('What was said.', LIMITS.compliments.textMaxChars),
  from: text('Who said it.', LIMITS.compliments.fromMaxChars),
  source: text('Where (a mail, a talk).', LIMITS.compliments.sourceMaxChars),
  date: {
    type: 'string',
    pattern: '^(\\d{4}-\\d{2}-\\d{2})?$',
    description: 'The day it was said; blank: today.',
  },
  public: ticked('shown in the public compliments.'),
};

export const DESK_FORMS: Record<string, DeskForm> = {
  deskInboxAction: {
    fields: {
      do: text(
        '`<action>:<comment|wish>:<id>` for one entry, or `<action>:selected` for the ticked ones. Actions: approve, compliment, spam, delete (comments); accept, decline, spam, plan (wishes).',
      ),
      sel: {
        type: 'array',
        items: { type: 'string', pattern: '^(comment|wish):[0-9A-HJKMNP-TV-Z]{26}$' },
        description: 'The ticked entries (`comment:<id>` or `wish:<id>`), one field each.',
      },
    },
    required: ['do'],
  },
  deskLoginRequest: {
    fields: { email: text('Her desk address; any other gets the same answer and no mail.'), next },
    required: ['email'],
  },
  deskLoginConfirm: { fields: { t: text("The login link's token."), next }, required: ['t'] },
  deskLogout: { fields: { everywhere: ticked('end every session, not only this one.') } },
  deskCommentReply: {
    fields: {
      text: text('Her reply, published at once under her author label.', LIMITS.comment.textMaxChars),
    },
    required: ['text'],
  },
  deskReadersAction: {
    fields: {
      email: text("The reader's address (only in the body, never logged)."),
      do: oneOf(['lookup', 'download', 'erase'], 'Show, download as JSON, or erase what is stored for it.'),
      confirm: ticked('needed for `erase`.'),
    },
    required: ['email'],
  },
  deskSettingsSave: {
    fields: {
      authorLabel: text('The label beside her replies; blank: the default.', LIMITS.desk.authorLabelMaxChars),
      do: oneOf(
        ['resend-mails'],
        '"Resend now": the notifier resends the kept failed mails (the label is left as it is).',
      ),
    },
  },
  deskWishByHand: {
    fields: {
      topic: text('The wish as a reader would word it.', LIMITS.wish.topicMaxChars),
      name: text('Who wished it, shown on the board.', LIMITS.wish.displayNameMaxChars),
      link: { type: 'string', format: 'uri', description: 'http(s) link for the credit.' },
      email: text('Mailed when the wish is written.', LIMITS.comment.emailMaxChars),
    },
    required: ['topic'],
  },
  deskWishAction: {
    fields: {
      id: ulid('The wish.'),
      do: oneOf(['accept', 'decline', 'spam', 'plan', 'written', 'retitle', 'merge'], 'What to do with it.'),
      status: text('The tab to come back to.'),
      articleUrl: { type: 'string', format: 'uri', description: 'With `written`: the article.' },
      into: ulid('With `merge`: the wish on the board it joins.'),
      topic: text('With `retitle`: the new title of a new wish.', LIMITS.wish.topicMaxChars),
    },
    required: ['id', 'do'],
  },
  deskComplimentAdd: { fields: handCompliment, required: ['text'] },
  deskComplimentAction: {
    fields: {
      kind: oneOf(['comment', 'hand'], 'A starred comment or one entered by hand.'),
      do: oneOf(
        ['star', 'unstar', 'public', 'private', 'delete', 'edit'],
        '`edit` takes the fields of a new one.',
      ),
      back: oneOf(['comment'], "Back to the comment's own page instead of the collection."),
      q: text('The search to come back to.'),
      ...handCompliment,
    },
    required: ['do'],
  },
  deskPasskeyLoginOptions: { fields: {} },
  deskPasskeyLogin: {
    fields: {
      credential: text(
        "The device's answer as WebAuthn's AuthenticationResponseJSON.",
        LIMITS.desk.passkeyResponseMaxChars,
      ),
      next,
    },
    required: ['credential'],
  },
  deskPasskeyOptions: { fields: {} },
  deskPasskeyAdd: {
    fields: {
      name: text('Her name for it ("iPhone").', LIMITS.desk.passkeyNameMaxChars),
      credential: text(
        "The device's answer as WebAuthn's RegistrationResponseJSON.",
        LIMITS.desk.passkeyResponseMaxChars,
      ),
    },
    required: ['name', 'credential'],
  },
  deskPasskeyRemove: { fields: { id: text('The passkey (its credential id).') }, required: ['id'] },
  deskBackupExport: { fields: { emails: ticked('with the readers’ addresses.') } },
  deskBackupRestore: {
    multipart: true,
    fields: {
      file: file('A backup file of the desk (JSON, gzip allowed).'),
      do: oneOf(['check', 'restore'], 'Only say what it would restore, or restore it.'),
    },
    required: ['file'],
  },
  deskImportUpload: {
    multipart: true,
    fields: { file: file('A WordPress (WXR) or Disqus export, gzip allowed.') },
    required: ['file'],
  },
  deskImportBatch: {
    fields: { from: { type: 'string', pattern: '^\\d{1,9}$', description: 'Where the batch starts.' } },
    required: ['from'],
  },
};
