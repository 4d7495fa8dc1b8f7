/**
 * The one wrapper every API Lambda uses: parse the event, answer CORS preflights, route, and turn
 * any failure into the documented error shape. Handlers stay thin: they only say what a route does.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Lang } from '../core/messages';
import type { FieldIssue } from '../core/schemas';
import { findRoute, type HandlerGroup, type RouteDefinition } from '../routes';
import { config } from '../runtime/config';
import { logger } from '../runtime/logger';
import { corsHeaders, isOriginAllowed, isOwnOrigin, preflight } from './cors';
import { asHttpError, HttpError } from './errors';
import { langOfEvent, parseRequest, type Request } from './request';
import { type ErrorAnswer, errorResponse, publicCacheHeaders, type Response } from './response';
import { isServiceUnavailable } from './unavailable';

export type RouteHandler = (request: Request) => Promise<Response>;

export interface EndpointOptions {
  /**
   * For route groups whose routes are pages a person opens (the moderation links): how their errors
   * are rendered (http/html-errors.ts `htmlErrorResponse`), and only their non-GET requests must
   * come from an allowed origin or the API's own (the pages post to themselves).
   */
  pages?: ErrorAnswer;
  /** HTML route groups (the desk) answer errors as a page, unless the client asked for JSON only. */
  errorPage?: (status: number, code: string, lang: Lang, requestId: string) => Response;
}

/**
 * `routes`: the routes a request is matched against: the group's own list from routes.ts (API
 * Gateway sends the Lambda no other, and its bundle then carries no other group's routes), or, for
 * the $default route's group (meta), every route, so that it can tell a 404 from a 405.
 */
export function endpoint(
  group: HandlerGroup,
  routes: readonly RouteDefinition[],
  handlers: Record<string, RouteHandler>,
  options: EndpointOptions = {},
) {
  const pages = options.pages !== undefined;
  const answer: ErrorAnswer = options.pages ?? errorResponse;
  return (event: APIGatewayProxyEventV2 | unknown, context?: Partial<Context>): Promise<Response> =>
    logger.scope(() => handle(event, context));

  async function handle(event: unknown, context?: Partial<Context>): Promise<Response> {
    const { siteLang, allowedOrigins, apiBaseUrl } = config();
    let lang = langOfEvent(event, siteLang);
    let cors: Record<string, string> = {};
    let requestId = context?.awsRequestId ?? '';
    // Desk pages answer a client that asked for JSON only (a script) with the JSON error shape.
    let wantsJson = false;
    const refuse = (status: number, code: string, fields: FieldIssue[], headers: Record<string, string>) =>
      options.errorPage && !wantsJson
        ? withHeaders(options.errorPage(status, code, lang, requestId), headers)
        : answer(status, code, lang, fields, headers, requestId);
    try {
      const request = parseRequest(event, siteLang, routes);
      lang = request.lang;
      requestId = request.requestId || requestId;
      wantsJson = /^application\/json\b/.test(request.headers.accept ?? '');
      logger.appendKeys({ requestId });
      cors = corsHeaders(request.origin, allowedOrigins);
      if (request.method === 'OPTIONS') return preflight(request, allowedOrigins);
      // The desk checks the Origin of its POSTs itself (with its session and form token).
      if (
        group !== 'desk' &&
        (pages
          ? !pageOriginMayAct(request, allowedOrigins, apiBaseUrl)
          : !originMayCall(request, allowedOrigins))
      ) {
        throw new HttpError(403, 'origin_not_allowed');
      }
      const match = findRoute(routes, request.method, request.path);
      if ('status' in match) {
        if (match.status === 405)
          throw new HttpError(405, 'method_not_allowed', [], { allow: match.allow.join(', ') });
        throw new HttpError(404, 'not_found');
      }
      const routeHandler = match.route.group === group ? handlers[match.route.operationId] : undefined;
      if (!routeHandler) throw new HttpError(404, 'not_found');
      request.pathParams = match.params;
      const response = await routeHandler(request);
      logger.info('request handled', { route: match.route.operationId, status: response.statusCode });
      // Only a successful public read may be shared; errors and everything else stay no-store.
      const shared = match.route.edge?.cache === 'public' && response.statusCode === 200;
      return {
        ...response,
        headers: { ...cors, ...response.headers, ...(shared ? publicCacheHeaders() : {}) },
      };
    } catch (error) {
      const refusal = asHttpError(error);
      if (refusal) {
        logger.info('request refused', { code: refusal.code, status: refusal.status });
        return refuse(refusal.status, refusal.code, refusal.fields, { ...cors, ...refusal.headers });
      }
      if (isServiceUnavailable(error)) {
        logger.warn('database unavailable', { errorName: (error as Error).name });
        return refuse(503, 'service_unavailable', [], { ...cors, 'retry-after': '5' });
      }
      logger.error('unexpected failure', {
        errorName: (error as Error)?.name,
        errorMessage: (error as Error)?.message,
      });
      return refuse(500, 'internal_error', [], cors);
    }
  }
}

/** An API call from a browser must come from one of the blog's origins (scripts send none). */
function originMayCall(request: Request, allowedOrigins: readonly string[]): boolean {
  return !request.origin || isOriginAllowed(request.origin, allowedOrigins);
}

/**
 * A page may be opened from anywhere (a link in a mail), but only a form of the blog's or the API's
 * own origin may act through it: a foreign site cannot make the author's browser post a token.
 */
function pageOriginMayAct(request: Request, allowedOrigins: readonly string[], apiBaseUrl: string): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  const origin = request.origin;
  if (!origin) return true;
  if (isOriginAllowed(origin, allowedOrigins) || isOwnOrigin(origin, apiBaseUrl)) return true;
  // Under Referrer-Policy no-referrer a browser sends `Origin: null` even for a same-origin form;
  // Sec-Fetch-Site (set by the browser, not by a page) then tells who posted.
  return origin === 'null' && request.headers['sec-fetch-site'] === 'same-origin';
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  return { ...response, headers: { ...headers, ...response.headers } };
}
