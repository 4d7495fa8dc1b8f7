/**
 * The one wrapper every API Lambda uses: parse the event, answer CORS preflights, route, and turn
 * any failure into the documented error shape. Handlers stay thin: they only say what a route does.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Lang } from '../core/messages';
import type { FieldIssue } from '../core/schemas';
import { findRoute, type HandlerGroup } from '../routes';
import { config } from '../runtime/config';
import { logger } from '../runtime/logger';
import { corsHeaders, isOriginAllowed, preflight } from './cors';
import { HttpError } from './errors';
import { parseRequest, type Request } from './request';
import { errorResponse, type Response } from './response';
import { isServiceUnavailable } from './unavailable';

export type RouteHandler = (request: Request) => Promise<Response>;

export interface EndpointOptions {
  /** HTML route groups (the desk) answer errors as a page, unless the client asked for JSON only. */
  errorPage?: (status: number, code: string, lang: Lang, requestId: string) => Response;
}

export function endpoint(
  group: HandlerGroup,
  handlers: Record<string, RouteHandler>,
  options: EndpointOptions = {},
) {
  return (event: APIGatewayProxyEventV2 | unknown, context?: Partial<Context>): Promise<Response> =>
    logger.scope(() => handle(event, context));

  async function handle(event: unknown, context?: Partial<Context>): Promise<Response> {
    const { siteLang, allowedOrigins } = config();
    let lang = siteLang;
    let cors: Record<string, string> = {};
    let requestId = context?.awsRequestId ?? '';
    let wantsJson = false;
    const refuse = (status: number, code: string, fields: FieldIssue[], headers: Record<string, string>) =>
      options.errorPage && !wantsJson
        ? withHeaders(options.errorPage(status, code, lang, requestId), headers)
        : errorResponse(status, code, lang, fields, headers, requestId);
    try {
      const request = parseRequest(event, siteLang);
      lang = request.lang;
      requestId = request.requestId || requestId;
      wantsJson = /^application\/json\b/.test(request.headers.accept ?? '');
      logger.appendKeys({ requestId });
      cors = corsHeaders(request.origin, allowedOrigins);
      if (request.method === 'OPTIONS') return preflight(request, allowedOrigins);
      // Moderation links and the desk are pages of the API's own origin; the desk checks its Origin itself.
      const ownPages = group === 'moderation' || group === 'desk';
      if (request.origin && !isOriginAllowed(request.origin, allowedOrigins) && !ownPages) {
        throw new HttpError(403, 'origin_not_allowed');
      }
      const match = findRoute(request.method, request.path);
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
      return { ...response, headers: { ...cors, ...response.headers } };
    } catch (error) {
      if (error instanceof HttpError) {
        logger.info('request refused', { code: error.code, status: error.status });
        return refuse(error.status, error.code, error.fields, { ...cors, ...error.headers });
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

function withHeaders(response: Response, headers: Record<string, string>): Response {
  return { ...response, headers: { ...headers, ...response.headers } };
}
