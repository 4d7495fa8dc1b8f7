/**
 * Every route of the API and the handler group (one Lambda each) that serves it. The CDK API
 * stack, the local dev server, the OpenAPI document and the 404/405 fallback all read this list.
 * Plain data only, safe for lib/ to import.
 */
import { LIMITS } from './core/limits';

export type HandlerGroup = 'comments' | 'wishes' | 'moderation' | 'readers' | 'meta' | 'desk';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** API Gateway route syntax: `{name}` is a path parameter. */
  path: string;
  group: HandlerGroup;
  operationId: string;
  summary: string;
  /**
   * Served through the widget's CloudFront distribution as well as at the API's own URL. `public`:
   * the answer is the same for every reader, cached at the edge for LIMITS.edgeCache (cache key:
   * the Origin header and only the `query` parameters named here). `none`: passed through uncached
   * (a reader-facing GET that must stay fresh). Absent: only at the API's URL (writes, moderation).
   */
  edge?: { cache: 'public'; query: readonly string[] } | { cache: 'none' };
  /** Answers HTML pages (errors too), not JSON. */
  html?: boolean;
  /** Desk routes reachable without a session (login, stylesheet); every other desk route needs one. */
  public?: boolean;
  /** An upload route: its body may be this large (LIMITS.bodyBytes otherwise) and is kept as bytes. */
  uploadBytes?: number;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    method: 'POST',
    path: '/comments',
    group: 'comments',
    operationId: 'postComment',
    summary: 'Post a comment or reply',
  },
  {
    method: 'GET',
    path: '/comments',
    group: 'comments',
    operationId: 'listComments',
    edge: { cache: 'public', query: ['page', 'order', 'limit', 'cursor'] },
    summary: "List a page's visible comments",
  },
  {
    method: 'PATCH',
    path: '/comments/{id}',
    group: 'comments',
    operationId: 'editComment',
    summary: 'Edit your own comment shortly after posting (with its edit key)',
  },
  {
    method: 'DELETE',
    path: '/comments/{id}',
    group: 'comments',
    operationId: 'deleteComment',
    summary: 'Delete your own comment shortly after posting (with its edit key)',
  },
  {
    method: 'GET',
    path: '/comments/counts',
    group: 'comments',
    operationId: 'countComments',
    edge: { cache: 'public', query: ['pages'] },
    summary: 'Visible comment counts of many pages',
  },
  {
    method: 'GET',
    path: '/feeds/comments',
    group: 'comments',
    operationId: 'commentFeed',
    summary: "RSS of a page's comments, or (without page) of the blog's latest comments",
    edge: { cache: 'public', query: ['page'] },
  },
  {
    method: 'GET',
    path: '/compliments',
    group: 'comments',
    operationId: 'listCompliments',
    edge: { cache: 'public', query: ['limit', 'cursor'] },
    summary: "The author's favourite comments, newest first",
  },
  {
    method: 'GET',
    path: '/guard',
    group: 'comments',
    operationId: 'getGuard',
    edge: { cache: 'none' },
    summary: 'A signed form token and a proof-of-work challenge for one form (comments and wishes)',
  },
  {
    method: 'POST',
    path: '/wishes',
    group: 'wishes',
    operationId: 'postWish',
    summary: 'Submit a topic wish (private until the author accepts it)',
  },
  {
    method: 'GET',
    path: '/wishes',
    group: 'wishes',
    operationId: 'listWishes',
    edge: { cache: 'public', query: ['sort', 'limit', 'cursor'] },
    summary: 'The public board of wishes, by votes or newest first',
  },
  {
    method: 'GET',
    path: '/wishes/credit',
    group: 'wishes',
    operationId: 'wishCredit',
    edge: { cache: 'public', query: ['page'] },
    summary: 'The written wish an article page fulfilled',
  },
  {
    method: 'GET',
    path: '/feeds/wishes',
    group: 'wishes',
    operationId: 'wishFeed',
    summary: 'RSS of the wish board (accepted, planned and written wishes), newest first',
    // It takes no parameters (`?page=` gets a 400); `page` is named only so it shares the cache
    // policy of the other `page` reads: CloudFront allows few cache policies per account.
    edge: { cache: 'public', query: ['page'] },
  },
  {
    method: 'POST',
    path: '/wishes/{id}/vote',
    group: 'wishes',
    operationId: 'voteWish',
    summary: 'Vote for a wish (once per voter id)',
  },
  {
    method: 'DELETE',
    path: '/wishes/{id}/vote',
    group: 'wishes',
    operationId: 'unvoteWish',
    summary: 'Take a vote back',
  },
  {
    method: 'GET',
    path: '/moderate',
    group: 'moderation',
    operationId: 'moderationPage',
    summary: 'Confirmation page of a one-click moderation link (changes nothing)',
  },
  {
    method: 'POST',
    path: '/moderate',
    group: 'moderation',
    operationId: 'moderate',
    summary: 'Act on a one-click moderation link (once)',
  },
  {
    method: 'GET',
    path: '/readers/confirm',
    group: 'readers',
    operationId: 'confirmPage',
    summary: 'Page of the link in a confirmation mail (double opt-in; changes nothing)',
  },
  {
    method: 'POST',
    path: '/readers/confirm',
    group: 'readers',
    operationId: 'confirm',
    summary: 'Confirm a reader address (double opt-in)',
  },
  {
    method: 'GET',
    path: '/readers/unsubscribe',
    group: 'readers',
    operationId: 'unsubscribePage',
    summary: 'Page of the unsubscribe link in a mail to a reader (changes nothing)',
  },
  {
    method: 'POST',
    path: '/readers/unsubscribe',
    group: 'readers',
    operationId: 'unsubscribe',
    summary: 'Unsubscribe at once (RFC 8058 one-click, or the page’s buttons)',
  },
  {
    method: 'GET',
    path: '/readers/data',
    group: 'readers',
    operationId: 'dataForm',
    summary: '"Meine Daten": ask for a link to everything stored for an address (`?lang=de|en`)',
  },
  {
    method: 'POST',
    path: '/readers/data',
    group: 'readers',
    operationId: 'dataRequest',
    summary: '"Meine Daten": mail the link if anything is stored (the same answer for any address)',
  },
  {
    method: 'GET',
    path: '/readers/data/view',
    group: 'readers',
    operationId: 'dataPage',
    summary: 'Page of the "Meine Daten" link: her comments, wishes, votes, notifications (changes nothing)',
  },
  {
    method: 'POST',
    path: '/readers/data/view',
    group: 'readers',
    operationId: 'dataAction',
    summary: 'Download her data as JSON, or erase everything (with the ticked confirmation)',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    group: 'meta',
    operationId: 'openApi',
    summary: 'This API description',
  },
  ...deskRoutes([
    ['GET', '/desk', 'deskInbox', "The author's desk: what waits (held comments, new wishes)"],
    ['POST', '/desk', 'deskInboxAction', 'Act on inbox items, one or several at once'],
    ['GET', '/desk/login', 'deskLoginPage', 'Ask for a login link', true],
    [
      'POST',
      '/desk/login',
      'deskLoginRequest',
      'Send a login link to a desk address (same answer for any address)',
      true,
    ],
    [
      'GET',
      '/desk/login/confirm',
      'deskLoginConfirmPage',
      'The page a login link opens (logs nobody in)',
      true,
    ],
    ['POST', '/desk/login/confirm', 'deskLoginConfirm', 'Log in with a login link (once)', true],
    ['POST', '/desk/logout', 'deskLogout', 'Log out (this session, or everywhere)'],
    ['GET', '/desk/assets/{file}', 'deskAsset', 'The desk stylesheet and scripts (hash-named, cached)', true],
    ['GET', '/desk/comments', 'deskComments', 'Comments by status and page, newest first, a page at a time'],
    ['GET', '/desk/comments/{id}', 'deskComment', 'One comment with the thread it answers'],
    ['POST', '/desk/comments/{id}', 'deskCommentReply', 'Answer a comment publicly as the author'],
    ['GET', '/desk/readers', 'deskReaders', 'Reader data: look up an address (the form)'],
    [
      'POST',
      '/desk/readers',
      'deskReadersAction',
      'Reader data: show, download as JSON or erase everything stored for an address',
    ],
    ['GET', '/desk/settings', 'deskSettings', 'Desk settings: the label beside her replies'],
    ['POST', '/desk/settings', 'deskSettingsSave', 'Save the desk settings'],
    ['GET', '/desk/wishes', 'deskWishes', 'The whole wish board, one status at a time'],
    ['POST', '/desk/wishes/new', 'deskWishByHand', 'Enter a wish by hand (heard elsewhere)'],
    ['POST', '/desk/wishes', 'deskWishAction', 'Act on a wish: accept, decline, plan, spam, written, merge'],
    ['GET', '/desk/compliments', 'deskCompliments', 'Her compliment collection, newest first, searchable'],
    ['POST', '/desk/compliments', 'deskComplimentAdd', 'Enter a compliment by hand (private unless ticked)'],
    ['GET', '/desk/compliments/{id}', 'deskComplimentEdit', 'Edit a compliment entered by hand'],
    [
      'POST',
      '/desk/compliments/{id}',
      'deskComplimentAction',
      'Star or unstar a comment, show an entry publicly or not, edit or delete a hand entry',
    ],
  ]),
  ...deskRoutes([
    [
      'POST',
      '/desk/passkeys/login/options',
      'deskPasskeyLoginOptions',
      'A challenge to sign in with a passkey (JSON; binds it to this browser by a cookie)',
      true,
    ],
    [
      'POST',
      '/desk/passkeys/login',
      'deskPasskeyLogin',
      "Sign in with a passkey (the device's answer)",
      true,
    ],
    ['POST', '/desk/passkeys/options', 'deskPasskeyOptions', 'A challenge to add a passkey (JSON)'],
    ['POST', '/desk/passkeys', 'deskPasskeyAdd', 'Add a passkey (its name and the device answer)'],
    ['POST', '/desk/passkeys/remove', 'deskPasskeyRemove', 'Remove a passkey'],
  ]),
  ...deskRoutes([
    ['GET', '/desk/backup', 'deskBackup', 'Backup: download everything, restore into an empty stack'],
    ['POST', '/desk/backup', 'deskBackupExport', 'Download the full backup as JSON (gzip)'],
    ['POST', '/desk/backup/restore', 'deskBackupRestore', 'Check or restore an uploaded backup file'],
  ]).map((route) =>
    route.operationId === 'deskBackupRestore' ? { ...route, uploadBytes: LIMITS.backup.uploadBytes } : route,
  ),
  ...deskRoutes([
    ['GET', '/desk/import', 'deskImport', 'Import comments: upload a WordPress or Disqus export'],
    [
      'POST',
      '/desk/import',
      'deskImportUpload',
      'Upload an export (multipart; .xml or .xml.gz), start an import',
    ],
    ['GET', '/desk/import/{id}', 'deskImportJob', "An import's progress, then its summary"],
    [
      'POST',
      '/desk/import/{id}',
      'deskImportBatch',
      'Import the next batch of an upload (repeating it imports nothing twice)',
    ],
  ]).map((route) =>
    route.operationId === 'deskImportUpload' ? { ...route, uploadBytes: LIMITS.import.uploadBytes } : route,
  ),
];

/** The routes readers reach through the edge (GET only; writes go to the API's own URL). */
export const EDGE_ROUTES = ROUTES.filter((route) => route.edge !== undefined);
/** Desk routes: HTML pages of the author's desk, all in the desk group. */
function deskRoutes(
  list: [RouteDefinition['method'], string, string, string, boolean?][],
): RouteDefinition[] {
  return list.map(([method, path, operationId, summary, isPublic]) => ({
    method,
    path,
    group: 'desk',
    operationId,
    summary,
    html: true,
    ...(isPublic ? { public: true } : {}),
  }));
}

/** Handler entry files, relative to the repository root (for NodejsFunction and the dev server). */
export const HANDLER_ENTRIES: Record<HandlerGroup, string> = {
  comments: 'functions/handlers/comments.ts',
  wishes: 'functions/handlers/wishes.ts',
  moderation: 'functions/handlers/moderation.ts',
  readers: 'functions/handlers/readers.ts',
  meta: 'functions/handlers/meta.ts',
  desk: 'functions/handlers/desk.ts',
};

/** A malformed escape such as `%` or `%E0%A4` stays as it is: the handler then finds nothing. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Matches a concrete path against a route path; returns the path parameters or undefined. */
export function matchPath(routePath: string, path: string): Record<string, string> | undefined {
  const routeParts = routePath.split('/');
  const pathParts = path.split('/');
  if (routeParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < routeParts.length; i++) {
    const routePart = routeParts[i]!;
    const pathPart = pathParts[i]!;
    if (routePart.startsWith('{') && routePart.endsWith('}')) {
      if (!pathPart) return undefined;
      params[routePart.slice(1, -1)] = safeDecode(pathPart);
    } else if (routePart !== pathPart) {
      return undefined;
    }
  }
  return params;
}

/** The route for a method and path, or why there is none (404 or 405 with the allowed methods). */
export function findRoute(
  method: string,
  path: string,
):
  | { route: RouteDefinition; params: Record<string, string> }
  | { status: 404 }
  | { status: 405; allow: string[] } {
  const onPath = ROUTES.map((route) => ({ route, params: matchPath(route.path, path) })).filter(
    (match): match is { route: RouteDefinition; params: Record<string, string> } =>
      match.params !== undefined,
  );
  if (onPath.length === 0) return { status: 404 };
  const exact = onPath.find((match) => match.route.method === method);
  if (exact) return exact;
  return { status: 405, allow: [...new Set(onPath.map((match) => match.route.method))] };
}

/** The largest body a request to this method and path may carry (an upload route's own limit). */
export function bodyLimitOf(method: string, path: string): { bytes: number; upload: boolean } {
  const match = findRoute(method, path);
  const upload = 'route' in match ? match.route.uploadBytes : undefined;
  return upload ? { bytes: upload, upload: true } : { bytes: LIMITS.bodyBytes, upload: false };
}
