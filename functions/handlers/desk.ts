/**
 * The author's desk: server-rendered pages on the API's own origin. The session check, the Origin
 * check and the form token run in one place (`guarded`) before any desk handler; a route is
 * reachable without a session only when routes.ts marks it public (login, stylesheet).
 */

import * as v from 'valibot';
import { backupFileName } from '../core/backup';
import { type BackupView, renderBackupPage } from '../core/desk/backup-page';
import {
  DESK_COMMENT_TABS,
  type DeskCommentTab,
  renderCommentsPage,
  renderCommentThreadPage,
  renderSettingsPage,
} from '../core/desk/comments-page';
import {
  type ComplimentsView,
  type HandFormView,
  handFormValues,
  renderComplimentEditPage,
  renderComplimentsPage,
} from '../core/desk/compliments-page';
import { renderHopPage } from '../core/desk/hop-page';
import { type ImportRefusal, renderImportJobPage, renderImportPage } from '../core/desk/import-page';
import { DESK_IMPORT_JS, DESK_IMPORT_JS_FILE } from '../core/desk/import-script';
import { renderInboxPage } from '../core/desk/inbox-page';
import type { PageFrame } from '../core/desk/layout';
import { renderConfirmPage, renderErrorPage, renderLoginPage } from '../core/desk/login-pages';
import { formToken, isFormTokenValid, loginLinkUrl } from '../core/desk/login-token';
import { DESK_PASSKEY_JS, DESK_PASSKEY_JS_FILE } from '../core/desk/passkey-script';
import type { PasskeyProblem } from '../core/desk/passkeys-section';
import { type ReadersView, renderReadersPage } from '../core/desk/readers-page';
import { deskReturnPath, withReturnPath } from '../core/desk/return-path';
import { DESK_CSS, DESK_CSS_FILE } from '../core/desk/style';
import { DESK_TEXTS } from '../core/desk/texts';
import { RESEND_ACTION } from '../core/desk/waiting-mails-section';
import { DESK_WISH_TABS, type DeskWishTab, renderWishesPage } from '../core/desk/wishes-page';
import { LIMITS } from '../core/limits';
import type { Lang } from '../core/messages';
import { DeskAddressSchema, EmailSchema } from '../core/schemas';
import { endpoint, type RouteHandler } from '../http/endpoint';
import { asHttpError, badInput, HttpError, invalidCursor } from '../http/errors';
import { isMultipart, multipartBody, multipartFields } from '../http/multipart';
import { formBody, type Request } from '../http/request';
import { errorResponse, html, json, type Response } from '../http/response';
import { DESK_ROUTES } from '../routes';
import { config } from '../runtime/config';
import { linkKey } from '../runtime/keys';
import { exportBackup, packBackup, planRestore, readBackupFile, restoreBackup } from '../usecases/backup';
import {
  actOnCompliment,
  addHandCompliment,
  COMPLIMENT_ACTIONS,
  type ComplimentAction,
  editHandCompliment,
  loadCollection,
  loadHandCompliment,
} from '../usecases/compliments';
import {
  actOnInbox,
  actOnWish,
  enterWishByHand,
  type InboxTarget,
  inspectLoginLink,
  isSessionValid,
  loadCommentList,
  loadCommentThread,
  loadDeskSettings,
  loadInbox,
  loadWaitingMails,
  loadWishTab,
  logInWithLink,
  logOut,
  replyAsAuthor,
  requestLoginLink,
  resendWaitingMails,
  setAuthorLabel,
} from '../usecases/desk';
import { DomainError } from '../usecases/errors';
import { importNextBatch, loadImportJob, startImport } from '../usecases/import-jobs';
import {
  addPasskey,
  loadPasskeys,
  logInWithPasskey,
  loginOptions,
  passkeysPossible,
  registrationOptions,
  removePasskey,
} from '../usecases/passkeys';
import { collectReaderData, eraseReaderData } from '../usecases/reader-data';

/** What every desk handler gets: the page frame (language, form token) and the session id. */
interface Desk {
  frame: PageFrame;
  sessionId: string;
}

type DeskHandler = (request: Request, desk: Desk) => Promise<Response>;

const PUBLIC_ROUTES = new Set(DESK_ROUTES.filter((route) => route.public).map((route) => route.operationId));

const LANG_COOKIE = 'leserpost-desk-lang';
/** connect-src 'self': the passkey script fetches its challenge from the desk itself. */
const DESK_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Under `no-referrer` a browser sends `Origin: null` with a form POST, and the Origin check could
 * not tell her desk from anywhere else; `strict-origin` sends the origin only, never the path (a
 * login link's token stays out of every Referer).
 */
const REFERRER_POLICY = 'strict-origin';

const secure = () => config().deskUrl.startsWith('https:');
/** `__Host-` (Secure, Path=/, no Domain) wherever the desk runs on https; plain name on http://localhost. */
const sessionCookieName = () => (secure() ? '__Host-leserpost-desk' : 'leserpost-desk');
/** Binds a passkey sign-in's challenge to the browser that asked for it, for the challenge's lifetime. */
const passkeyAttemptCookieName = () =>
  secure() ? '__Host-leserpost-desk-passkey' : 'leserpost-desk-passkey';
/** The desk's scripts by their hash-named file. */
const DESK_SCRIPTS: Record<string, string> = {
  [DESK_IMPORT_JS_FILE]: DESK_IMPORT_JS,
  [DESK_PASSKEY_JS_FILE]: DESK_PASSKEY_JS,
};

function cookie(name: string, value: string, maxAge: number, path = '/', sameSite = 'Strict'): string {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=${sameSite}${secure() ? '; Secure' : ''}`;
}

/** The desk follows the site language; she can switch (?lang=en), which a cookie remembers. */
function deskLang(request: Request): { lang: Lang; cookies: string[] } {
  const asked = request.query.lang;
  if (asked === 'de' || asked === 'en') {
    return { lang: asked, cookies: [cookie(LANG_COOKIE, asked, 365 * 24 * 60 * 60)] };
  }
  const remembered = request.cookies[LANG_COOKIE];
  return { lang: remembered === 'en' || remembered === 'de' ? remembered : config().siteLang, cookies: [] };
}

function page(status: number, body: string, extra: { cookies?: string[]; lang: Lang }): Response {
  return {
    ...html(status, body, {
      'content-security-policy': DESK_CSP,
      'content-language': extra.lang,
      'referrer-policy': REFERRER_POLICY,
    }),
    ...(extra.cookies?.length ? { cookies: extra.cookies } : {}),
  };
}

/** Post/Redirect/Get: after an action the browser shows a fresh page, and reloading repeats nothing. */
function redirect(location: string, cookies: string[] = []): Response {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store', 'referrer-policy': REFERRER_POLICY },
    body: '',
    ...(cookies.length ? { cookies } : {}),
  };
}

/** A desk POST must come from the desk's own pages: the browser's Origin says where the form was. */
function checkOrigin(request: Request): void {
  const own = new URL(config().deskUrl).origin.toLowerCase();
  if (request.origin !== own) throw new HttpError(403, 'origin_not_allowed');
}

function guarded(handlers: Record<string, DeskHandler>): Record<string, RouteHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([operationId, handle]): [string, RouteHandler] => [
      operationId,
      async (request) => {
        const { lang, cookies } = deskLang(request);
        if (request.method === 'POST') checkOrigin(request);
        const frame: PageFrame = { lang, siteName: config().siteName, path: request.path };
        if (PUBLIC_ROUTES.has(operationId)) {
          const response = await handle(request, { frame, sessionId: '' });
          return cookies.length
            ? { ...response, cookies: [...(response.cookies ?? []), ...cookies] }
            : response;
        }
        const sessionId = request.cookies[sessionCookieName()] ?? '';
        if (!(await isSessionValid(sessionId, new Date()))) {
          if (/^application\/json\b/.test(request.headers.accept ?? '')) {
            return errorResponse(401, 'login_required', lang);
          }
          if (arrivedFromElsewhere(request)) return hop(request, frame, cookies);
          // After signing in she comes back to the page she opened (a form's POST has no page to return to).
          const asked = request.method === 'GET' ? addressAsked(request) : undefined;
          return redirect(withReturnPath('/desk/login', asked), cookies);
        }
        // In after the hop: its marker has done its work.
        if (request.cookies[HOP_COOKIE]) cookies.push(hopMarker(0));
        const csrf = formToken(sessionId, await linkKey('author'));
        const posted = request.method === 'POST' ? formFields(request) : {};
        if (request.method === 'POST' && !isFormTokenValid(posted.csrf, sessionId, await linkKey('author'))) {
          throw new HttpError(403, 'form_token_invalid');
        }
        const response = await handle(request, { frame: { ...frame, csrf }, sessionId });
        return cookies.length
          ? { ...response, cookies: [...(response.cookies ?? []), ...cookies] }
          : response;
      },
    ]),
  );
}

/** Marks the one hop (hop-page.tsx), so a browser that still withholds the session goes on to the login. */
const HOP_COOKIE = 'leserpost-desk-hop';

/** A page opened from another site, without the session cookie: SameSite=Strict may have withheld it. */
function arrivedFromElsewhere(request: Request): boolean {
  return (
    request.method === 'GET' &&
    !request.cookies[sessionCookieName()] &&
    !request.cookies[HOP_COOKIE] &&
    request.headers['sec-fetch-site'] === 'cross-site' &&
    request.headers['sec-fetch-mode'] === 'navigate'
  );
}

/** Lax, unlike the session: it must come along on the hop's navigation in every browser. */
function hopMarker(maxAge: number): string {
  return cookie(HOP_COOKIE, '1', maxAge, '/', 'Lax');
}

/** The path and query of the page asked for. */
function addressAsked(request: Request): string {
  const query = new URLSearchParams(request.query).toString();
  return `${request.path}${query ? `?${query}` : ''}`;
}

function hop(request: Request, frame: PageFrame, cookies: string[]): Response {
  return page(200, renderHopPage(frame, addressAsked(request)), {
    lang: frame.lang,
    cookies: [...cookies, hopMarker(LIMITS.desk.crossSiteHopSeconds)],
  });
}

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The text fields of a posted form, a file upload's (multipart) too: its form token is one of them. */
function formFields(request: Request): Record<string, string> {
  return isMultipart(request) ? multipartFields(request) : formBody(request);
}

function backupPage(frame: PageFrame, view: Omit<BackupView, 'timeZone'>): string {
  return renderBackupPage(frame as PageFrame & { csrf: string }, { ...view, timeZone: config().timeZone });
}

/** A refused backup as the page shows it: the status a client would get, and the field named. */
function backupRefusal(frame: PageFrame, error: DomainError): Response {
  const status = asHttpError(error)!.status;
  const issue = error.fields[0] ?? { field: 'file', code: error.code };
  return page(status, backupPage(frame, { problem: issue }), frame);
}

/**
 * The settings page: her author label, the mails waiting to be resent and her passkeys (with what
 * just happened to them).
 */
async function settingsPage(
  frame: PageFrame,
  status: number,
  view: { done?: boolean; problem?: 'label_too_long' },
  passkeys: { done?: 'added' | 'removed'; problem?: PasskeyProblem; name?: string } = {},
  resend: { resending?: boolean; problem?: { field: string; code: string } } = {},
): Promise<Response> {
  const [settings, list, waiting] = await Promise.all([
    loadDeskSettings(),
    passkeysPossible() ? loadPasskeys() : undefined,
    loadWaitingMails(),
  ]);
  const body = renderSettingsPage(deskFrame(frame), {
    ...settings,
    ...view,
    waitingMails: { ...waiting, ...resend, now: new Date(), timeZone: config().timeZone },
    ...(list ? { passkeys: { ...passkeys, passkeys: list, timeZone: config().timeZone } } : {}),
  });
  return page(status, body, frame);
}

/** A refused passkey answer: JSON naming the field for a client that asked for it, else the page. */
function passkeyRefusal(
  request: Request,
  lang: Lang,
  problem: PasskeyProblem,
  render: () => Promise<Response>,
): Promise<Response> {
  if (/^application\/json\b/.test(request.headers.accept ?? ''))
    return Promise.resolve(errorResponse(400, 'invalid_input', lang, [problem]));
  return render();
}

function readersPage(frame: PageFrame, view: Omit<ReadersView, 'timeZone'>): string {
  return renderReadersPage(frame as PageFrame & { csrf: string }, { ...view, timeZone: config().timeZone });
}

const deskFrame = (frame: PageFrame) => frame as PageFrame & { csrf: string };

/** The login page offers passkeys wherever they can work (not on a desk at an IP address). */
const passkeyLogin = () => (passkeysPossible() ? { passkeys: {} } : {});

/**
 * The collection page. A search word or cursor that does not fit is answered with this page and
 * 400, naming the field, and nothing read.
 */
async function complimentsPage(
  frame: PageFrame,
  rawSearch: string,
  cursor: string | undefined,
  extra: Pick<ComplimentsView, 'done' | 'problem' | 'form'>,
): Promise<Response> {
  const search = rawSearch.trim();
  const timeZone = config().timeZone;
  const refuse = (field: string, code: string) =>
    page(
      400,
      renderComplimentsPage(deskFrame(frame), {
        entries: [],
        search: '',
        timeZone,
        badField: { field, code },
      }),
      frame,
    );
  if (search.length > LIMITS.compliments.searchMaxChars) return refuse('q', 'too_long');
  const view = await loadCollection(search, cursor || undefined);
  if (view === 'invalid_cursor') return refuse('after', 'invalid_cursor');
  const status = extra.form?.fields?.length ? 400 : 200;
  return page(
    status,
    renderComplimentsPage(deskFrame(frame), { ...view, ...extra, search, timeZone }),
    frame,
  );
}

/** Checkbox values and button values name their item as `kind:id`. */
function parseTarget(value: string): InboxTarget | undefined {
  const match = /^(comment|wish):([0-9A-HJKMNP-TV-Z]{26})$/.exec(value);
  return match ? { kind: match[1] as InboxTarget['kind'], id: match[2]! } : undefined;
}

export const handler = endpoint(
  'desk',
  DESK_ROUTES,
  guarded({
    async deskAsset(request) {
      const script = Object.hasOwn(DESK_SCRIPTS, request.pathParams.file ?? '')
        ? DESK_SCRIPTS[request.pathParams.file!]
        : undefined;
      if (script !== undefined) {
        return {
          statusCode: 200,
          headers: {
            'content-type': 'text/javascript; charset=utf-8',
            'cache-control': 'public, max-age=31536000, immutable',
            'x-content-type-options': 'nosniff',
          },
          body: script,
        };
      }
      if (request.pathParams.file !== DESK_CSS_FILE) throw new HttpError(404, 'not_found');
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/css; charset=utf-8',
          // The name carries the content's hash: a changed stylesheet gets a new name.
          'cache-control': 'public, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        },
        body: DESK_CSS,
      };
    },

    // `next` (the page she asked for) goes along through every step of the sign-in.
    async deskLoginPage(request, { frame }) {
      const next = deskReturnPath(request.query.next);
      // The language switch (layout.tsx) links to frame.path: it keeps `next`.
      const here = { ...frame, path: withReturnPath(request.path, next) };
      return page(
        200,
        renderLoginPage(here, { sent: request.query.sent === '1', next, ...passkeyLogin() }),
        frame,
      );
    },

    async deskLoginRequest(request, { frame }) {
      const form = formBody(request);
      const email = (form.email ?? '').trim();
      const next = deskReturnPath(form.next);
      if (!v.is(DeskAddressSchema, email))
        return page(400, renderLoginPage(frame, { invalid: true, email, next, ...passkeyLogin() }), frame);
      await requestLoginLink(email, frame.lang, new Date(), request.sourceIp, next);
      return redirect(withReturnPath('/desk/login?sent=1', next));
    },

    async deskLoginConfirmPage(request, { frame }) {
      const token = request.query.t ?? '';
      const next = deskReturnPath(request.query.next);
      const state = await inspectLoginLink(token, new Date());
      // The language switch keeps the link's token and `next`.
      const here = { ...frame, path: loginLinkUrl('/desk', token, next) };
      return page(
        state.ok ? 200 : 400,
        renderConfirmPage(here, token, state.ok ? undefined : state.reason, next),
        frame,
      );
    },

    async deskLoginConfirm(request, { frame }) {
      const form = formBody(request);
      const token = form.t ?? '';
      const next = deskReturnPath(form.next);
      const result = await logInWithLink(token, new Date());
      if (!result.ok) return page(400, renderConfirmPage(frame, token, result.reason, next), frame);
      return redirect(next, [cookie(sessionCookieName(), result.sessionId, LIMITS.desk.sessionTtlSeconds)]);
    },

    async deskLogout(request, { sessionId }) {
      await logOut(sessionId, formBody(request).everywhere === '1', new Date());
      return redirect('/desk/login', [cookie(sessionCookieName(), '', 0)]);
    },

    async deskInbox(request, { frame }) {
      const inbox = await loadInbox();
      const done = /^\d{1,4}$/.test(request.query.done ?? '') ? Number(request.query.done) : undefined;
      const body = renderInboxPage(frame as PageFrame & { csrf: string }, {
        ...inbox,
        timeZone: config().timeZone,
        done,
        problem: request.query.problem === 'none' ? 'nothing_selected' : undefined,
      });
      return page(200, body, frame);
    },

    async deskComments(request, { frame }) {
      const tab = (DESK_COMMENT_TABS as readonly string[]).includes(request.query.status ?? '')
        ? (request.query.status as DeskCommentTab)
        : 'approved';
      const pageFilter = (request.query.page ?? '').trim();
      if (pageFilter.length > LIMITS.page.maxChars) throw badInput([{ field: 'page', code: 'too_long' }]);
      const after = request.query.after;
      if (after !== undefined && !ID.test(after)) throw invalidCursor();
      const list = await loadCommentList(tab, pageFilter || undefined, after);
      const body = renderCommentsPage(frame as PageFrame & { csrf: string }, {
        tab,
        page: pageFilter || undefined,
        comments: list.comments,
        cursor: list.cursor ?? undefined,
        timeZone: config().timeZone,
      });
      return page(200, body, frame);
    },

    async deskComment(request, { frame }) {
      const id = request.pathParams.id ?? '';
      const thread = ID.test(id) ? await loadCommentThread(id) : undefined;
      if (!thread) throw new HttpError(404, 'not_found');
      const body = renderCommentThreadPage(frame as PageFrame & { csrf: string }, {
        ...thread,
        timeZone: config().timeZone,
        done: request.query.done === '1',
        problem: /^[a-z_]{1,40}$/.test(request.query.problem ?? '') ? request.query.problem : undefined,
        compliment: /^[a-z_]{1,40}$/.test(request.query.compliment ?? '')
          ? request.query.compliment
          : undefined,
      });
      return page(200, body, frame);
    },

    async deskCommentReply(request) {
      const id = request.pathParams.id ?? '';
      if (!ID.test(id)) throw new HttpError(404, 'not_found');
      const result = await replyAsAuthor(id, formBody(request).text ?? '', new Date());
      if (!result.ok && result.problem === 'not_found') throw new HttpError(404, 'not_found');
      return redirect(`/desk/comments/${id}?${result.ok ? 'done=1' : `problem=${result.problem}`}`);
    },

    async deskSettings(request, { frame }) {
      const done = request.query.done;
      return settingsPage(
        frame,
        200,
        {
          done: done === '1',
          problem: request.query.problem === 'label_too_long' ? 'label_too_long' : undefined,
        },
        {
          done: done === 'passkey-added' ? 'added' : done === 'passkey-removed' ? 'removed' : undefined,
          problem: request.query.problem === 'passkey-gone' ? { field: 'id', code: 'not_found' } : undefined,
        },
        { resending: done === 'resend' },
      );
    },

    async deskPasskeyOptions(_request, { frame, sessionId }) {
      const result = await registrationOptions(
        sessionId,
        `${config().siteName} · ${DESK_TEXTS[frame.lang].desk}`,
        new Date(),
      );
      if (!result.ok) return errorResponse(409, 'too_many_passkeys', frame.lang, [result]);
      return json(200, result.options);
    },

    async deskPasskeyAdd(request, { frame, sessionId }) {
      const form = formBody(request);
      const result = await addPasskey(sessionId, form.name ?? '', form.credential ?? '', new Date());
      if (result.ok) return redirect('/desk/settings?done=passkey-added');
      const { ok: _ok, ...problem } = result;
      return passkeyRefusal(request, frame.lang, problem, () =>
        settingsPage(frame, 400, {}, { problem, name: form.name }),
      );
    },

    async deskPasskeyRemove(request) {
      const removed = await removePasskey(formBody(request).id ?? '');
      return redirect(`/desk/settings?${removed ? 'done=passkey-removed' : 'problem=passkey-gone'}`);
    },

    async deskPasskeyLoginOptions(request, { frame }) {
      if (!passkeysPossible()) throw new HttpError(404, 'not_found');
      const { options, attempt } = await loginOptions(new Date(), request.sourceIp);
      return {
        ...json(200, options, { 'content-language': frame.lang }),
        cookies: [cookie(passkeyAttemptCookieName(), attempt, LIMITS.desk.passkeyChallengeTtlSeconds)],
      };
    },

    async deskPasskeyLogin(request, { frame }) {
      const attempt = request.cookies[passkeyAttemptCookieName()];
      const form = formBody(request);
      const next = deskReturnPath(form.next);
      const result = await logInWithPasskey(attempt, form.credential ?? '', new Date());
      const spent = cookie(passkeyAttemptCookieName(), '', 0);
      if (result.ok) {
        return redirect(next, [
          cookie(sessionCookieName(), result.sessionId, LIMITS.desk.sessionTtlSeconds),
          spent,
        ]);
      }
      const { ok: _ok, ...problem } = result;
      return passkeyRefusal(request, frame.lang, problem, async () => ({
        ...page(400, renderLoginPage(frame, { passkeys: { problem }, next }), frame),
        cookies: [spent],
      }));
    },

    // The label form posts no `do`; "Resend now" posts do=resend-mails (the notifier resends).
    async deskSettingsSave(request, { frame }) {
      const form = formBody(request);
      if (form.do === RESEND_ACTION) {
        await resendWaitingMails(new Date());
        return redirect('/desk/settings?done=resend#waiting-mails');
      }
      if (form.do !== undefined) {
        return settingsPage(frame, 400, {}, {}, { problem: { field: 'do', code: 'unknown_action' } });
      }
      const result = await setAuthorLabel(form.authorLabel ?? '');
      return redirect(`/desk/settings?${result.ok ? 'done=1' : `problem=${result.problem}`}`);
    },

    async deskReaders(_request, { frame }) {
      return page(200, readersPage(frame, {}), frame);
    },

    // The address comes in the form body only and is never logged or put into a link.
    async deskReadersAction(request, { frame }) {
      const form = formBody(request);
      const email = (form.email ?? '').trim();
      if (!v.safeParse(EmailSchema, email).success) {
        return page(400, readersPage(frame, { email, problem: 'invalid_email' }), frame);
      }
      if (form.do === 'download') {
        return {
          statusCode: 200,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-disposition': 'attachment; filename="leserpost-daten.json"',
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          body: JSON.stringify(await collectReaderData(email), null, 2),
        };
      }
      if (form.do === 'erase') {
        if (form.confirm !== '1') {
          const data = await collectReaderData(email);
          return page(400, readersPage(frame, { email, data, problem: 'confirm_needed' }), frame);
        }
        const erased = await eraseReaderData(email, new Date());
        return page(200, readersPage(frame, { erased }), frame);
      }
      return page(200, readersPage(frame, { email, data: await collectReaderData(email) }), frame);
    },

    async deskBackup(_request, { frame }) {
      return page(200, backupPage(frame, {}), frame);
    },

    // The file is built, compressed and sent at once; nothing of it is stored or logged.
    async deskBackupExport(request, { frame }) {
      const now = new Date();
      let gzip: Buffer;
      try {
        const emails = formBody(request).emails === '1';
        const { backup } = await exportBackup({ emails, now, maxEmailItems: LIMITS.backup.deskEmailItems });
        gzip = packBackup(backup);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const code = error.fields[0]?.code === 'too_many_emails' ? 'too_many_emails' : 'export_too_large';
        return backupRefusal(frame, new DomainError('too_large', [{ field: 'backup', code }]));
      }
      return {
        statusCode: 200,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          // The browser unpacks it and saves the JSON itself; gzip keeps a big blog under Lambda's 6 MB.
          'content-encoding': 'gzip',
          'content-disposition': `attachment; filename=${backupFileName(now)}`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: gzip.toString('base64'),
        isBase64Encoded: true,
      };
    },

    async deskBackupRestore(request, { frame }) {
      const file = multipartBody(request).get('file');
      if (!file || file.filename === undefined || file.data.length === 0)
        return page(400, backupPage(frame, { problem: { field: 'file', code: 'no_file' } }), frame);
      try {
        const backup = readBackupFile(file.data);
        if (multipartFields(request).do === 'restore') {
          const restored = await restoreBackup(backup, { maxItems: LIMITS.backup.deskRestoreItems });
          return page(200, backupPage(frame, { restored }), frame);
        }
        return page(200, backupPage(frame, { checked: await planRestore(backup) }), frame);
      } catch (error) {
        if (error instanceof DomainError) return backupRefusal(frame, error);
        throw error;
      }
    },

    async deskWishes(request, { frame }) {
      const tab = (DESK_WISH_TABS as readonly string[]).includes(request.query.status ?? '')
        ? (request.query.status as DeskWishTab)
        : 'new';
      const { wishes, mergeTargets } = await loadWishTab(tab);
      const body = renderWishesPage(frame as PageFrame & { csrf: string }, {
        tab,
        wishes,
        mergeTargets,
        timeZone: config().timeZone,
        done: request.query.done === '1',
        problem: /^[a-z_]{1,40}$/.test(request.query.problem ?? '') ? request.query.problem : undefined,
        allowedOrigins: config().allowedOrigins,
      });
      return page(200, body, frame);
    },

    async deskWishByHand(request) {
      const form = formBody(request);
      const result = await enterWishByHand(
        { topic: form.topic, name: form.name, email: form.email, link: form.link },
        new Date(),
      );
      return redirect(`/desk/wishes?status=new&${result.ok ? 'done=1' : `problem=${result.problem}`}`);
    },

    async deskWishAction(request) {
      const form = formBody(request);
      const tab = (DESK_WISH_TABS as readonly string[]).includes(form.status ?? '') ? form.status : 'new';
      if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(form.id ?? ''))
        return redirect(`/desk/wishes?status=${tab}&problem=not_found`);
      const result = await actOnWish(
        form.id!,
        form.do ?? '',
        { articleUrl: form.articleUrl, into: form.into, topic: form.topic },
        new Date(),
      );
      return redirect(`/desk/wishes?status=${tab}&${result.ok ? 'done=1' : `problem=${result.problem}`}`);
    },

    async deskImport(_request, { frame }) {
      return page(200, renderImportPage(frame as PageFrame & { csrf: string }), frame);
    },

    async deskImportUpload(request, { frame }) {
      const result = await startImport(multipartBody(request).get('file')?.data, new Date());
      if (result.ok) return redirect(`/desk/import/${result.jobId}`);
      const { ok: _ok, ...refusal } = result;
      return page(
        result.problem === 'inflated_too_large' ? 413 : 400,
        renderImportPage(frame as PageFrame & { csrf: string }, refusal as ImportRefusal),
        frame,
      );
    },

    async deskCompliments(request, { frame }) {
      const done = /^[a-z]{1,12}$/.test(request.query.done ?? '') ? request.query.done : undefined;
      const problem = /^[a-z_]{1,40}$/.test(request.query.problem ?? '') ? request.query.problem : undefined;
      return complimentsPage(frame, request.query.q ?? '', request.query.after, { done, problem });
    },

    async deskComplimentAdd(request, { frame }) {
      const form = formBody(request);
      const result = await addHandCompliment(form, new Date());
      if (result.ok) return redirect('/desk/compliments?done=added');
      // Nothing stored: the page again with what she typed and the fields that need a change.
      return complimentsPage(frame, '', undefined, { form: { values: form, fields: result.fields } });
    },

    async deskComplimentEdit(request, { frame }) {
      const id = request.pathParams.id ?? '';
      const entry = ID.test(id) ? await loadHandCompliment(id) : undefined;
      if (!entry) throw new HttpError(404, 'not_found');
      const form = { values: handFormValues(entry, config().timeZone) };
      return page(
        200,
        renderComplimentEditPage(deskFrame(frame), { id, form, timeZone: config().timeZone }),
        frame,
      );
    },

    async deskImportJob(request, { frame }) {
      const id = request.pathParams.id ?? '';
      const job = ID.test(id) ? await loadImportJob(id) : undefined;
      if (!job) throw new HttpError(404, 'not_found');
      return page(200, renderImportJobPage(frame as PageFrame & { csrf: string }, job), frame);
    },

    // Each batch says where it starts: a repeated or parallel request for it writes nothing twice.
    async deskImportBatch(request, { frame }) {
      const id = request.pathParams.id ?? '';
      const from = formBody(request).from ?? '';
      if (!/^\d{1,9}$/.test(from)) throw badInput([{ field: 'from', code: 'invalid_number' }]);
      const job = ID.test(id) ? await importNextBatch(id, Number(from)) : undefined;
      if (!job) throw new HttpError(404, 'not_found');
      if (job.lost) return page(410, renderImportJobPage(frame as PageFrame & { csrf: string }, job), frame);
      return redirect(`/desk/import/${id}`);
    },

    async deskComplimentAction(request, { frame }) {
      const id = request.pathParams.id ?? '';
      if (!ID.test(id)) throw new HttpError(404, 'not_found');
      const form = formBody(request);
      const kind = form.kind === 'comment' ? 'comment' : 'hand';
      // From the comment's own page back to it, with what happened; else back to the collection.
      const back = (query: string) =>
        form.back === 'comment'
          ? redirect(`/desk/comments/${id}?compliment=${query.split('=')[1]}`)
          : redirect(`/desk/compliments?${form.q ? `q=${encodeURIComponent(form.q)}&` : ''}${query}`);
      if (form.do === 'edit' && kind === 'hand') {
        const result = await editHandCompliment(id, form, new Date(), config().timeZone);
        if (result.ok) return redirect('/desk/compliments?done=saved');
        if (!('fields' in result)) throw new HttpError(404, 'not_found');
        const view: HandFormView = { values: form, fields: result.fields };
        return page(
          400,
          renderComplimentEditPage(deskFrame(frame), { id, form: view, timeZone: config().timeZone }),
          frame,
        );
      }
      if (!(COMPLIMENT_ACTIONS as readonly string[]).includes(form.do ?? ''))
        return back('problem=not_found');
      const action = form.do as ComplimentAction;
      const result = await actOnCompliment(kind, id, action, new Date());
      return back(result.ok ? `done=${action}` : `problem=${result.problem}`);
    },

    async deskInboxAction(request) {
      const form = new URLSearchParams(request.body);
      const [action = '', ...rest] = (form.get('do') ?? '').split(':');
      const named = rest.join(':');
      const targets = named === 'selected' ? form.getAll('sel').map(parseTarget) : [parseTarget(named)];
      const valid = targets.filter((target): target is InboxTarget => target !== undefined);
      if (valid.length === 0) return redirect('/desk?problem=none');
      const changed = await actOnInbox(action, valid.slice(0, LIMITS.desk.listPageSize * 2), new Date());
      return redirect(`/desk?done=${changed}`);
    },
  }),
  {
    errorPage: (status, code, lang, requestId) =>
      page(status, renderErrorPage({ lang, siteName: config().siteName }, code, requestId), { lang }),
  },
);
