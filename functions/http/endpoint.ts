/**
 * The one wrapper every API Lambda uses: parse the event, answer CORS preflights, route, and turn
 * any failure into the documented error shape. Handlers stay thin: they only say what a route does.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { findRoute, type HandlerGroup } from '../routes';
import { config } from '../runtime/config';
import { logger } from '../runtime/logger';
import { corsHeaders, isOriginAllowed, preflight } from './cors';
import { HttpError } from './errors';
import { parseRequest, type Request } from './request';
import { errorResponse, publicCacheHeaders, type Response } from './response';
import { isServiceUnavailable } from './unavailable';

export type RouteHandler = (request: Request) => Promise<Response>;

export function endpoint(group: HandlerGroup, handlers: Record<string, RouteHandler>) {
  return (event: APIGatewayProxyEventV2 | unknown, context?: Partial<Context>): Promise<Response> =>
    logger.scope(() => handle(event, context));

  async function handle(event: unknown, context?: Partial<Context>): Promise<Response> {
    const { siteLang, allowedOrigins } = config();
    let lang = siteLang;
    let cors: Record<string, string> = {};
    let requestId = context?.awsRequestId ?? '';
    try {
      const request = parseRequest(event, siteLang);
      lang = request.lang;
      requestId = request.requestId || requestId;
      logger.appendKeys({ requestId });
      cors = corsHeaders(request.origin, allowedOrigins);
      if (request.method === 'OPTIONS') return preflight(request, allowedOrigins);
      if (request.origin && !isOriginAllowed(request.origin, allowedOrigins) && group !== 'moderation') {
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
      // Only a successful public read may be shared; errors and everything else stay no-store.
      const shared = match.route.edge?.cache === 'public' && response.statusCode === 200;
      return {
        ...response,
        headers: { ...cors, ...response.headers, ...(shared ? publicCacheHeaders() : {}) },
      };
    } catch (error) {
      if (error instanceof HttpError) {
        logger.info('request refused', { code: error.code, status: error.status });
        return errorResponse(
          error.status,
          error.code,
          lang,
          error.fields,
          { ...cors, ...error.headers },
          requestId,
        );
      }
      if (isServiceUnavailable(error)) {
        logger.warn('database unavailable', { errorName: (error as Error).name });
        return errorResponse(
          503,
          'service_unavailable',
          lang,
          [],
          { ...cors, 'retry-after': '5' },
          requestId,
        );
      }
      logger.error('unexpected failure', {
        errorName: (error as Error)?.name,
        errorMessage: (error as Error)?.message,
      });
      return errorResponse(500, 'internal_error', lang, [], cors, requestId);
    }
  }
}
