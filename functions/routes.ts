/**
 * Every route of the API and the handler group (one Lambda each) that serves it. The CDK API
 * stack, the local dev server, the OpenAPI document and the 404/405 fallback all read this list.
 * Plain data only, safe for lib/ to import. Each group's Lambda bundles only its own routes (the
 * `*_ROUTES` lists: their builders are marked free of side effects, so esbuild drops the lists a
 * bundle never reads), and the OpenAPI summaries live in core/route-summaries.ts.
 */
import { LIMITS } from './core/limits';

export type HandlerGroup = 'comments' | 'wishes' | 'moderation' | 'readers' | 'meta' | 'desk';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** API Gateway route syntax: `{name}` is a path parameter. */
  path: string;
  group: HandlerGroup;
  operationId: string;
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

export const COMMENT_ROUTES: readonly RouteDefinition[] = [
  route('POST', '/comments', 'comments', 'postComment'),
  route('GET', '/comments', 'comments', 'listComments', {
    edge: { cache: 'public', query: ['page', 'order', 'limit', 'cursor'] },
  }),
  route('PATCH', '/comments/{id}', 'comments', 'editComment'),
  route('DELETE', '/comments/{id}', 'comments', 'deleteComment'),
  route('POST', '/comments/status', 'comments', 'commentStatus'),
  route('GET', '/comments/counts', 'comments', 'countComments', {
    edge: { cache: 'public', query: ['pages'] },
  }),
  route('GET', '/feeds/comments', 'comments', 'commentFeed', {
    edge: { cache: 'public', query: ['page'] },
  }),
  route('GET', '/compliments', 'comments', 'listCompliments', {
    edge: { cache: 'public', query: ['limit', 'cursor'] },
  }),
  route('GET', '/guard', 'comments', 'getGuard', {
    edge: { cache: 'none' },
  }),
];

export const WISH_ROUTES: readonly RouteDefinition[] = [
  route('POST', '/wishes', 'wishes', 'postWish'),
  route('GET', '/wishes', 'wishes', 'listWishes', {
    edge: { cache: 'public', query: ['sort', 'limit', 'cursor'] },
  }),
  route('GET', '/wishes/credit', 'wishes', 'wishCredit', {
    edge: { cache: 'public', query: ['page'] },
  }),
  route('GET', '/feeds/wishes', 'wishes', 'wishFeed', {
    // It takes no parameters (`?page=` gets a 400); `page` is named only so it shares the cache
    // policy of the other `page` reads: CloudFront allows few cache policies per account.
    edge: { cache: 'public', query: ['page'] },
  }),
  route('POST', '/wishes/status', 'wishes', 'wishStatus'),
  route('POST', '/wishes/{id}/vote', 'wishes', 'voteWish'),
  route('DELETE', '/wishes/{id}/vote', 'wishes', 'unvoteWish'),
];

export const MODERATION_ROUTES: readonly RouteDefinition[] = [
  route('GET', '/moderate', 'moderation', 'moderationPage'),
  route('POST', '/moderate', 'moderation', 'moderate'),
];

export const READER_ROUTES: readonly RouteDefinition[] = [
  route('GET', '/readers/confirm', 'readers', 'confirmPage'),
  route('POST', '/readers/confirm', 'readers', 'confirm'),
  route('GET', '/readers/unsubscribe', 'readers', 'unsubscribePage'),
  route('POST', '/readers/unsubscribe', 'readers', 'unsubscribe'),
  route('GET', '/readers/data', 'readers', 'dataForm'),
  route('POST', '/readers/data', 'readers', 'dataRequest'),
  route('GET', '/readers/data/view', 'readers', 'dataPage'),
  route('POST', '/readers/data/view', 'readers', 'dataAction'),
];

export const META_ROUTES: readonly RouteDefinition[] = [route('GET', '/openapi.json', 'meta', 'openApi')];

export const DESK_ROUTES: readonly RouteDefinition[] = allOf(
  deskRoutes([
    ['GET', '/desk', 'deskInbox'],
    ['POST', '/desk', 'deskInboxAction'],
    ['GET', '/desk/login', 'deskLoginPage', true],
    ['POST', '/desk/login', 'deskLoginRequest', true],
    ['GET', '/desk/login/confirm', 'deskLoginConfirmPage', true],
    ['POST', '/desk/login/confirm', 'deskLoginConfirm', true],
    ['POST', '/desk/logout', 'deskLogout'],
    ['GET', '/desk/assets/{file}', 'deskAsset', true],
    ['GET', '/desk/comments', 'deskComments'],
    ['GET', '/desk/comments/{id}', 'deskComment'],
    ['POST', '/desk/comments/{id}', 'deskCommentReply'],
    ['GET', '/desk/readers', 'deskReaders'],
    ['POST', '/desk/readers', 'deskReadersAction'],
    ['GET', '/desk/settings', 'deskSettings'],
    ['POST', '/desk/settings', 'deskSettingsSave'],
    ['GET', '/desk/wishes', 'deskWishes'],
    ['POST', '/desk/wishes/new', 'deskWishByHand'],
    ['POST', '/desk/wishes', 'deskWishAction'],
    ['GET', '/desk/compliments', 'deskCompliments'],
    ['POST', '/desk/compliments', 'deskComplimentAdd'],
    ['GET', '/desk/compliments/{id}', 'deskComplimentEdit'],
    ['POST', '/desk/compliments/{id}', 'deskComplimentAction'],
  ]),
  deskRoutes([
    ['POST', '/desk/passkeys/login/options', 'deskPasskeyLoginOptions', true],
    ['POST', '/desk/passkeys/login', 'deskPasskeyLogin', true],
    ['POST', '/desk/passkeys/options', 'deskPasskeyOptions'],
    ['POST', '/desk/passkeys', 'deskPasskeyAdd'],
    ['POST', '/desk/passkeys/remove', 'deskPasskeyRemove'],
  ]),
  withUpload(
    deskRoutes([
      ['GET', '/desk/backup', 'deskBackup'],
      ['POST', '/desk/backup', 'deskBackupExport'],
      ['POST', '/desk/backup/restore', 'deskBackupRestore'],
    ]),
    'deskBackupRestore',
    'backup',
  ),
  withUpload(
    deskRoutes([
      ['GET', '/desk/import', 'deskImport'],
      ['POST', '/desk/import', 'deskImportUpload'],
      ['GET', '/desk/import/{id}', 'deskImportJob'],
      ['POST', '/desk/import/{id}', 'deskImportBatch'],
    ]),
    'deskImportUpload',
    'import',
  ),
);

/** Every route of the API, group after group. */
export const ROUTES: readonly RouteDefinition[] = allOf(
  COMMENT_ROUTES,
  WISH_ROUTES,
  MODERATION_ROUTES,
  READER_ROUTES,
  META_ROUTES,
  DESK_ROUTES,
);

/*
 * The builders below are marked free of side effects (and take no reads of LIMITS as arguments:
 * esbuild counts a property read as a possible side effect), so a list no bundle code reads is
 * dropped from that bundle, although it is built by function calls.
 */

/** One route; the desk's come from deskRoutes. Positional, so each route costs its bundle fewer bytes. */
/* @__NO_SIDE_EFFECTS__ */
function route(
  method: RouteDefinition['method'],
  path: string,
  group: HandlerGroup,
  operationId: string,
  options: Pick<RouteDefinition, 'edge' | 'html' | 'uploadBytes'> = {},
): RouteDefinition {
  return { method, path, group, operationId, ...options };
}

/** Several route lists as one. */
/* @__NO_SIDE_EFFECTS__ */
function allOf(...lists: (readonly RouteDefinition[])[]): RouteDefinition[] {
  return lists.flat();
}

/** An upload route: its body may be as large as the upload limit of `kind` in LIMITS. */
/* @__NO_SIDE_EFFECTS__ */
function withUpload(routes: RouteDefinition[], operationId: string, kind: 'backup' | 'import') {
  return routes.map((route) =>
    route.operationId === operationId ? { ...route, uploadBytes: LIMITS[kind].uploadBytes } : route,
  );
}

/** The routes readers reach through the edge (GET only; writes go to the API's own URL). */
export const EDGE_ROUTES = /* @__PURE__ */ ROUTES.filter((route) => route.edge !== undefined);
/** Desk routes: HTML pages of the author's desk, all in the desk group. */
/* @__NO_SIDE_EFFECTS__ */
function deskRoutes(list: [RouteDefinition['method'], string, string, boolean?][]): RouteDefinition[] {
  return list.map(([method, path, operationId, isPublic]) => ({
    method,
    path,
    group: 'desk',
    operationId,
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

/**
 * Paths under the desk that no route takes still go to the desk's Lambda (API Gateway: these two
 * routes beside the desk's own), so a mistyped desk address gets the desk's HTML page (404, 405)
 * in her language instead of the API's JSON error.
 */
export const DESK_CATCH_ALL_PATHS = ['/desk', '/desk/{proxy+}'] as const;

/** The group that answers a path no route takes: the desk for its own paths, else meta ($default). */
export function unmatchedGroup(path: string): HandlerGroup {
  return path === '/desk' || path.startsWith('/desk/') ? 'desk' : 'meta';
}

/**
 * The route for a method and path among `routes` (a group's own, or ROUTES), or why there is none
 * (404, or 405 with the allowed methods).
 */
export function findRoute(
  routes: readonly RouteDefinition[],
  method: string,
  path: string,
):
  | { route: RouteDefinition; params: Record<string, string> }
  | { status: 404 }
  | { status: 405; allow: string[] } {
  const onPath = routes
    .map((route) => ({ route, params: matchPath(route.path, path) }))
    .filter(
      (match): match is { route: RouteDefinition; params: Record<string, string> } =>
        match.params !== undefined,
    );
  if (onPath.length === 0) return { status: 404 };
  const exact = onPath.find((match) => match.route.method === method);
  if (exact) return exact;
  return { status: 405, allow: [...new Set(onPath.map((match) => match.route.method))] };
}

/** The largest body a request to this method and path may carry (an upload route's own limit). */
export function bodyLimitOf(
  routes: readonly RouteDefinition[],
  method: string,
  path: string,
): { bytes: number; upload: boolean } {
  const match = findRoute(routes, method, path);
  const upload = 'route' in match ? match.route.uploadBytes : undefined;
  return upload ? { bytes: upload, upload: true } : { bytes: LIMITS.bodyBytes, upload: false };
}
