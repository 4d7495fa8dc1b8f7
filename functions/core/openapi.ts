/**
 * The OpenAPI 3.1 document of the API, generated from the same valibot schemas that validate the
 * requests (via @valibot/to-json-schema) and from the route list. Served at GET /openapi.json.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ROUTES } from '../routes';
import { ModerationFormSchema, ModerationLinkQuerySchema } from './moderation-forms';
import { DESK_FORMS } from './openapi-desk-forms';
import { PUBLIC_WISH_FIELDS } from './public-wish-fields';
import { ROUTE_SUMMARIES } from './route-summaries';
import * as schemas from './schemas';

type JsonSchema = Record<string, unknown>;

interface OperationDoc {
  query?: v.GenericSchema;
  body?: v.GenericSchema;
  /** A body described as JSON Schema directly (the desk's forms). */
  bodySchema?: JsonSchema;
  /** Content type of the request body; JSON unless said otherwise. */
  bodyType?: string;
  /** Request headers the operation reads. */
  headers?: { name: string; description: string; schema: JsonSchema }[];
  responses: Record<string, { description: string; schema?: JsonSchema; contentType?: string }>;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const errors = {
  '400': { description: 'Invalid input: the fields that are wrong are named.', schema: ref('Error') },
  '429': { description: 'Too many requests; see the Retry-After header.', schema: ref('Error') },
  '503': { description: 'The database is busy; retry after the Retry-After header.', schema: ref('Error') },
};

/** The moderation links answer with small HTML pages, not JSON. */
const htmlPage = (description: string) => ({
  description: `HTML: ${description}`,
  contentType: 'text/html',
  schema: { type: 'string' },
});

/** Safe retries of a POST (http/idempotency.ts). */
const idempotencyKey = {
  name: 'Idempotency-Key',
  description:
    'Optional, 8–128 characters of [A-Za-z0-9_.:-], one per submission (e.g. a UUID). A retry with the same key and body within 24 h gets the first response again (header `idempotent-replayed: true`) and stores nothing twice.',
  schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' },
};

/** Responses of a guarded, idempotent submission. */
const submissionErrors = {
  '400': {
    description:
      'Invalid input (`invalid_input`, the fields are named; a bad Idempotency-Key names that header), or `spam_suspected`: the honeypot was filled, or the form token or proof of work from GET /guard is missing, too fresh, expired, forged or used before. Nothing was stored.',
    schema: ref('Error'),
  },
  '409': {
    description:
      '`idempotency_in_progress`: the same Idempotency-Key is being processed; retry after Retry-After.',
    schema: ref('Error'),
  },
  '422': {
    description: '`idempotency_key_reused`: the key was used with another body.',
    schema: ref('Error'),
  },
  '429': {
    description:
      '`rate_limited`: too many submissions from this network or on this page; Retry-After says how many seconds until the window ends.',
    schema: ref('Error'),
  },
};

/**
 * POST /comments/status and /wishes/status: a read with the keys in the body, so that they appear in
 * no URL, log line or cache (POST answers are never kept by CloudFront; `no-store`). Changes nothing.
 */
function ownStatusDoc(what: string): OperationDoc {
  return {
    body: schemas.OwnStatusSchema,
    responses: {
      '200': {
        description: `What became of ${what} Only the ids asked for, nothing of anyone else.`,
        schema: {
          type: 'object',
          required: ['statuses'],
          properties: {
            statuses: {
              type: 'object',
              description: 'By id, each id of the request.',
              additionalProperties: { enum: ['pending', 'visible', 'gone'] },
            },
          },
        },
      },
      ...errors,
      '415': {
        description:
          'The body is not application/json, or comes packed (`Content-Encoding`: `unsupported_encoding`).',
        schema: ref('Error'),
      },
    },
  };
}

/** Documentation of each operation, by the operationId used in routes.ts. */
export const OPERATION_DOCS: Record<string, OperationDoc> = {
  postComment: {
    body: schemas.NewCommentSchema,
    headers: [idempotencyKey],
    responses: {
      '201': {
        description:
          'The comment was stored. `visible: false` when it waits for moderation (first comment, or held by the content checks).',
        schema: ref('SubmittedComment'),
      },
      ...errors,
      ...submissionErrors,
      '413': { description: 'The body is larger than the limit.', schema: ref('Error') },
      '415': {
        description:
          'The body is not application/json, or comes packed (`Content-Encoding`: `unsupported_encoding`).',
        schema: ref('Error'),
      },
    },
  },
  editComment: {
    body: schemas.EditCommentSchema,
    responses: {
      '200': {
        description:
          'The comment with its new text (`editedAt` set). `visible: false` when the new text tripped a content check and waits for the author again.',
        schema: ref('SubmittedComment'),
      },
      ...errors,
      '403': {
        description:
          '`edit_not_allowed`: the edit key does not fit, or the edit window (LIMITS.comment.editWindowSeconds after posting) is over.',
        schema: ref('Error'),
      },
      '404': {
        description: '`comment_not_found`: no such comment (or it is deleted).',
        schema: ref('Error'),
      },
      '429': submissionErrors['429']!,
    },
  },
  deleteComment: {
    body: schemas.DeleteCommentSchema,
    responses: {
      '200': {
        description: 'The comment is deleted.',
        schema: { type: 'object', properties: { deleted: { const: true } } },
      },
      ...errors,
      '403': {
        description: '`edit_not_allowed`: the edit key does not fit, or the edit window is over.',
        schema: ref('Error'),
      },
      '404': {
        description: '`comment_not_found`: no such comment (or it is deleted).',
        schema: ref('Error'),
      },
    },
  },
  commentStatus: ownStatusDoc(
    'her held comments, each with the edit key her browser made when posting it: `pending` while held, `visible` once approved, `gone` when spam, deleted or unknown, or when the key does not fit (indistinguishable, so it tells a stranger nothing).',
  ),
  commentFeed: {
    query: schemas.CommentFeedQuerySchema,
    responses: {
      '200': {
        description:
          "RSS 2.0: with `page` that page's newest comments, without it the blog's newest comments; each item links to the comment's anchor.",
        contentType: 'application/rss+xml',
        schema: { type: 'string' },
      },
      ...errors,
    },
  },
  wishFeed: {
    query: schemas.WishFeedQuerySchema,
    responses: {
      '200': {
        description: 'RSS 2.0 of the wish board, newest first; a written wish links its article.',
        contentType: 'application/rss+xml',
        schema: { type: 'string' },
      },
      ...errors,
    },
  },
  listComments: {
    query: schemas.ListCommentsQuerySchema,
    responses: {
      '200': { description: 'One page of visible comments.', schema: ref('CommentPage') },
      ...errors,
    },
  },
  countComments: {
    query: schemas.CountsQuerySchema,
    responses: {
      '200': {
        description: 'Visible comments per page (normalised paths).',
        schema: {
          type: 'object',
          properties: { counts: { type: 'object', additionalProperties: { type: 'integer' } } },
        },
      },
      ...errors,
    },
  },
  listCompliments: {
    query: schemas.ListComplimentsQuerySchema,
    responses: {
      '200': {
        description:
          'The compliments the author shows publicly, newest first: starred comments (as in CommentPage) and compliments she entered by hand (`byHand: true`, `page` null, `createdAt` the day it was said). What she keeps private never appears.',
        schema: ref('ComplimentPage'),
      },
      ...errors,
    },
  },
  postWish: {
    body: schemas.NewWishSchema,
    headers: [idempotencyKey],
    responses: {
      '201': {
        description: 'The wish was stored; it stays private (`visible: false`) until the author accepts it.',
        schema: ref('SubmittedWish'),
      },
      ...errors,
      ...submissionErrors,
      '413': { description: 'The body is larger than the limit.', schema: ref('Error') },
      '415': {
        description:
          'The body is not application/json, or comes packed (`Content-Encoding`: `unsupported_encoding`).',
        schema: ref('Error'),
      },
    },
  },
  listWishes: {
    query: schemas.ListWishesQuerySchema,
    responses: {
      '200': { description: 'One page of the public board.', schema: ref('WishPage') },
      ...errors,
    },
  },
  wishCredit: {
    query: schemas.CreditQuerySchema,
    responses: {
      '200': {
        description: 'The written wish whose article is this page, or null.',
        schema: {
          type: 'object',
          required: ['wish'],
          properties: { wish: { oneOf: [ref('PublicWish'), { type: 'null' }] } },
        },
      },
      ...errors,
    },
  },
  wishStatus: ownStatusDoc(
    'her new wishes, each with the `wishKey` her browser sent with the wish: `pending` while new, `visible` once on the board (accepted, planned, written, or merged into a wish there), `gone` when declined, spam or unknown, or when the key does not fit.',
  ),
  voteWish: {
    body: schemas.CastVoteSchema,
    responses: {
      '200': {
        description:
          'The vote counts. With `notifyWhenWritten` and `email`, the address gets one mail when the wish is written (after she confirmed it by the link in a confirmation mail); sent again by the same voter id after the vote, it only adds the address.',
        schema: ref('VoteResult'),
      },
      ...errors,
      '429': {
        description:
          '`rate_limited`: too many votes from this network; see Retry-After. Votes are idempotent by voter id.',
        schema: ref('Error'),
      },
      '404': { description: '`wish_not_found`: no such wish on the board.', schema: ref('Error') },
      '409': { description: '`already_voted`: this voter id has voted for the wish.', schema: ref('Error') },
    },
  },
  unvoteWish: {
    body: schemas.VoteSchema,
    responses: {
      '200': { description: 'The vote is taken back.', schema: ref('VoteResult') },
      ...errors,
      '404': { description: '`wish_not_found`: no such wish on the board.', schema: ref('Error') },
      '409': { description: '`not_voted`: this voter id has not voted for the wish.', schema: ref('Error') },
    },
  },
  moderationPage: {
    query: ModerationLinkQuerySchema,
    responses: {
      '200': htmlPage('What the link would do, with one confirm button.'),
      '403': htmlPage('The link is forged, expired, malformed or used.'),
      '404': htmlPage('The comment or wish is gone.'),
      '503': htmlPage('The database is busy or unreachable. With `Retry-After`.'),
    },
  },
  moderate: {
    body: ModerationFormSchema,
    bodyType: 'application/x-www-form-urlencoded',
    responses: {
      '200': htmlPage('Done, or already done before.'),
      '400': htmlPage('The article address or date is missing or wrong.'),
      '403': htmlPage(
        'The link is forged, expired, malformed or used for something else, or the form was posted from another site (`origin_not_allowed`).',
      ),
      '404': htmlPage('The comment or wish is gone.'),
      '409': htmlPage('The action does not fit the current state.'),
      '415': htmlPage('The body is not a form (`unsupported_media_type`).'),
      '503': htmlPage('The database is busy or unreachable; nothing was changed. With `Retry-After`.'),
    },
  },
  confirmPage: {
    query: schemas.ReaderLinkFormSchema,
    responses: {
      '200': htmlPage('What confirming would do, with one button; or that it is confirmed already.'),
      '403': htmlPage('The link is forged, expired or malformed.'),
    },
  },
  confirm: {
    body: schemas.ReaderLinkFormSchema,
    bodyType: 'application/x-www-form-urlencoded',
    responses: {
      '200': htmlPage('The address is confirmed (or was before).'),
      '403': htmlPage('The link is forged, expired or malformed.'),
      '415': htmlPage('The body is not a form.'),
    },
  },
  unsubscribePage: {
    query: schemas.ReaderLinkFormSchema,
    responses: {
      '200': htmlPage('Two buttons: unsubscribe from this thread, or from everything.'),
      '403': htmlPage('The link is forged, expired or malformed.'),
    },
  },
  unsubscribe: {
    query: schemas.ReaderLinkFormSchema,
    body: schemas.UnsubscribeFormSchema,
    bodyType: 'application/x-www-form-urlencoded',
    responses: {
      '200': htmlPage('Unsubscribed (the same answer whatever was subscribed).'),
      '403': htmlPage('The link is forged, expired or malformed.'),
    },
  },
  dataForm: {
    query: schemas.DataFormQuerySchema,
    responses: {
      '200': htmlPage('The form: her address, to get the link to her data.'),
      '400': htmlPage('`lang` is neither `de` nor `en`.'),
    },
  },
  dataRequest: {
    body: schemas.DataRequestFormSchema,
    bodyType: 'application/x-www-form-urlencoded',
    responses: {
      '200': htmlPage(
        'The same page for every valid address: a link was mailed if anything is stored for it (and the address and client are under their limits).',
      ),
      '400': htmlPage('The address is not valid (the form again, naming `email`), or `lang` is wrong.'),
      '415': htmlPage('The body is not a form (`unsupported_media_type`).'),
    },
  },
  dataPage: {
    query: schemas.ReaderLinkFormSchema,
    responses: {
      '200': htmlPage('Everything stored for her, with a download and an erase button.'),
      '403': htmlPage('The link is forged, expired, malformed or of another purpose.'),
      '410': htmlPage('Nothing is stored for this link any more (erased, or the request expired).'),
    },
  },
  dataAction: {
    body: schemas.DataActionFormSchema,
    bodyType: 'application/x-www-form-urlencoded',
    responses: {
      '200': {
        description:
          '`do=download`: her data as a JSON file (`content-disposition: attachment`); `do=erase` with `confirm=1`: the page with what was erased.',
      },
      '400': htmlPage('`do` is missing or wrong, or `confirm` was not ticked for `erase`.'),
      '403': htmlPage('The link is forged, expired, malformed or of another purpose.'),
      '410': htmlPage('Nothing is stored for this link any more.'),
      '415': htmlPage('The body is not a form (`unsupported_media_type`).'),
    },
  },
  getGuard: {
    responses: {
      '200': {
        description:
          'A form token and a proof-of-work challenge for one form; no cookie, nothing stored. Fetch it when the form appears, solve the challenge while the reader types, send `hp`, `formToken` and `pow` with the POST.',
        schema: ref('GuardIssue'),
      },
      '503': errors['503'],
    },
  },
  openApi: { responses: { '200': { description: 'This document.', schema: { type: 'object' } } } },
};

const PublicComment: JsonSchema = {
  type: 'object',
  required: ['id', 'page', 'parentId', 'name', 'website', 'text', 'createdAt', 'status'],
  properties: {
    id: { type: 'string', description: 'ULID; sorts by creation time.' },
    page: { type: 'string', description: 'The normalised page path.' },
    parentId: { type: ['string', 'null'] },
    name: { type: ['string', 'null'] },
    website: { type: ['string', 'null'] },
    text: { type: ['string', 'null'], description: 'Plain text; render as text, never as HTML.' },
    createdAt: { type: 'string', format: 'date-time' },
    status: { enum: [...schemas.COMMENT_STATUSES] },
    placeholder: { type: 'boolean', description: 'A deleted comment kept for the shape of its thread.' },
    md: {
      type: 'array',
      description:
        "The text's markdown as a whitelisted tree, present only when the text has markup. A node is a string (text) or `[tag, ...children]` with tag one of p, br, em, strong, code, pre (`['pre', code]`), a (`['a', href, ...children]`, href http(s) or mailto; add rel=\"nofollow ugc noopener\"), ul, ol, li, blockquote. Build it with DOM calls, never as HTML.",
      items: {},
    },
    editedAt: { type: 'string', format: 'date-time', description: 'Set when its writer edited it.' },
    byAuthor: { type: 'boolean', description: "Written by the blog's author." },
    authorLabel: {
      type: 'string',
      description: "The author's own label for her mark (default: Autorin/Author).",
    },
  },
};

const COMPONENTS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'fields'],
        properties: {
          code: { type: 'string', description: 'Stable machine-readable code.' },
          message: { type: 'string', description: "In the reader's language (Accept-Language: de or en)." },
          requestId: { type: 'string' },
          fields: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'code', 'message'],
              properties: {
                field: { type: 'string' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
  PublicComment,
  SubmittedComment: {
    type: 'object',
    properties: {
      comment: ref('PublicComment'),
      visible: { type: 'boolean', description: 'False while held for moderation.' },
    },
  },
  GuardIssue: {
    type: 'object',
    required: ['formToken', 'formTokenExpiresAt', 'pow', 'powExpiresAt', 'enforced'],
    properties: {
      formToken: {
        type: 'string',
        description:
          'Send back unchanged as `formToken`. Keep the first one of a visit: its age proves the fill time.',
      },
      formTokenExpiresAt: { type: 'string', format: 'date-time' },
      pow: {
        type: 'object',
        description:
          'ALTCHA challenge: find the number n in 0..maxnumber with hex(SHA-256(salt + n)) = challenge, then send base64(JSON {algorithm, challenge, number: n, salt, signature}) as `pow`.',
        required: ['algorithm', 'challenge', 'maxnumber', 'salt', 'signature'],
        properties: {
          algorithm: { const: 'SHA-256' },
          challenge: { type: 'string' },
          maxnumber: { type: 'integer' },
          salt: { type: 'string' },
          signature: { type: 'string' },
        },
      },
      powExpiresAt: {
        type: 'string',
        format: 'date-time',
        description: 'Fetch a new challenge (keeping the old form token) if the reader is still typing then.',
      },
      enforced: {
        type: 'object',
        description: 'Which guards this server checks (all false on a scripted local stack).',
        properties: {
          honeypot: { type: 'boolean' },
          minFillSeconds: { type: 'integer' },
          proofOfWork: { type: 'boolean' },
        },
      },
    },
  },
  PublicCompliment: {
    ...PublicComment,
    properties: {
      ...(PublicComment.properties as Record<string, unknown>),
      page: { type: ['string', 'null'], description: 'The post of a starred comment; null for one by hand.' },
      byHand: { type: 'boolean', description: 'Entered by the author by hand (from whom: `name`).' },
    },
  },
  ComplimentPage: {
    type: 'object',
    properties: {
      comments: { type: 'array', items: ref('PublicCompliment') },
      cursor: {
        type: ['string', 'null'],
        description: 'Pass back as `cursor` for the next page; null at the end.',
      },
    },
  },
  CommentPage: {
    type: 'object',
    properties: {
      comments: { type: 'array', items: ref('PublicComment') },
      cursor: {
        type: ['string', 'null'],
        description: 'Pass back as `cursor` for the next page; null at the end.',
      },
    },
  },
};

/** Registers extra component schemas (used by other route groups' docs). */
export function addComponents(extra: Record<string, JsonSchema>): void {
  Object.assign(COMPONENTS, extra);
}

/** The wishes group's shapes. */
addComponents({
  PublicWish: {
    type: 'object',
    required: [...PUBLIC_WISH_FIELDS],
    properties: {
      id: { type: 'string', description: 'ULID; sorts by creation time.' },
      topic: { type: 'string', description: 'Plain text; render as text, never as HTML.' },
      details: { type: ['string', 'null'] },
      publicName: {
        type: ['string', 'null'],
        description: "The requester's name, only if she chose to show it.",
      },
      website: {
        type: ['string', 'null'],
        format: 'uri',
        description: 'http(s) link for the credit, set by the author for a wish she entered by hand.',
      },
      status: {
        enum: ['new', ...schemas.PUBLIC_WISH_STATUSES],
        description: '`new` only in the answer to the submission itself.',
      },
      votes: { type: 'integer', minimum: 0 },
      articleUrl: {
        type: ['string', 'null'],
        description: 'The article that fulfilled the wish, once written.',
      },
      writtenAt: { type: ['string', 'null'], format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  SubmittedWish: {
    type: 'object',
    properties: { wish: ref('PublicWish'), visible: { const: false } },
  },
  WishPage: {
    type: 'object',
    properties: {
      wishes: { type: 'array', items: ref('PublicWish') },
      cursor: {
        type: ['string', 'null'],
        description: 'Pass back as `cursor` (with the same `sort`) for the next page; null at the end.',
      },
    },
  },
  VoteResult: {
    type: 'object',
    required: ['wishId', 'votes', 'voted'],
    properties: {
      wishId: { type: 'string' },
      votes: { type: 'integer', minimum: 0 },
      voted: { type: 'boolean', description: 'Whether this voter id now has a vote for the wish.' },
    },
  },
});

function jsonSchemaOf(schema: v.GenericSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = toJsonSchema(schema as never, {
    errorMode: 'ignore',
    typeMode: 'input',
  }) as JsonSchema;
  return rest;
}

function queryParameters(schema: v.GenericSchema) {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

/** A desk POST's form: its fields, and the session's form token where a session is needed. */
function deskFormBody(route: { operationId: string; public?: boolean }): Partial<OperationDoc> {
  const form = DESK_FORMS[route.operationId];
  if (!form) throw new Error(`No form fields documented for ${route.operationId}.`);
  const csrf = { type: 'string', description: "The session's form token (the page's hidden field)." };
  const required = [...(route.public ? [] : ['csrf']), ...(form.required ?? [])];
  return {
    bodyType: form.multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
    bodySchema: {
      type: 'object',
      properties: { ...(route.public ? {} : { csrf }), ...form.fields },
      ...(required.length ? { required } : {}),
    },
  };
}

/** The desk's pages: forms for a person in a browser, described by what they answer. */
function deskPageDoc(route: {
  method: string;
  operationId: string;
  public?: boolean;
}): (typeof OPERATION_DOCS)[string] {
  return {
    ...(route.method === 'POST' ? deskFormBody(route) : {}),
    responses: {
      ...(route.method === 'GET' ? { '200': htmlPage('The desk page.') } : {}),
      '303': {
        description: 'Done: on to the next page (Post/Redirect/Get), or to the login page without a session.',
      },
      ...(route.public ? {} : { '401': htmlPage('No session (JSON error when only JSON is accepted).') }),
      ...(route.method === 'POST'
        ? { '403': htmlPage('The form came from another Origin or without its form token.') }
        : {}),
    },
  };
}

export function buildOpenApiDocument(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const doc =
      OPERATION_DOCS[route.operationId] ?? (route.group === 'desk' ? deskPageDoc(route) : undefined);
    const summary = ROUTE_SUMMARIES[route.operationId];
    if (!doc || !summary) throw new Error(`No OpenAPI documentation for ${route.operationId}.`);
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary,
      parameters: [
        ...pathParams,
        ...(doc.query ? queryParameters(doc.query) : []),
        ...(doc.headers ?? []).map((header) => ({ ...header, in: 'header', required: false })),
      ],
      ...(doc.body || doc.bodySchema
        ? {
            requestBody: {
              required: true,
              content: {
                [doc.bodyType ?? 'application/json']: {
                  schema: doc.body ? jsonSchemaOf(doc.body) : doc.bodySchema,
                },
              },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(doc.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema
              ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
              : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Leserpost API',
      version: '1',
      description:
        'Comments and reader topic wishes for blogs. Errors always have the shape of `Error`; texts follow Accept-Language (de, en).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: { schemas: COMPONENTS },
  };
}
