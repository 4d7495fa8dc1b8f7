import { buildOpenApiDocument } from '../core/openapi';
import { endpoint } from '../http/endpoint';
import { json } from '../http/response';
import { ROUTES } from '../routes';
import { config } from '../runtime/config';

let document: Record<string, unknown> | undefined;

/**
 * The API description, and (as API Gateway's $default route) the JSON 404/405 for any path no
 * other route takes: `endpoint` answers those before a handler runs.
 */
export const handler = endpoint('meta', ROUTES, {
  async openApi() {
    document ??= buildOpenApiDocument(config().apiBaseUrl || undefined);
    return json(200, document, { 'cache-control': 'public, max-age=300' });
  },
});
