/**
 * Errors of routes a person opens in a browser, as a page in the reader's language. A module of its
 * own so that only the Lambdas serving pages bundle the page texts.
 */
import { renderErrorPage } from '../core/error-page';
import { config } from '../runtime/config';
import { type ErrorAnswer, html } from './response';

export const htmlErrorResponse: ErrorAnswer = (
  statusCode,
  code,
  lang,
  fields = [],
  headers = {},
  requestId,
) =>
  html(
    statusCode,
    renderErrorPage({ status: statusCode, code, lang, fields, requestId, siteName: config().siteName }),
    { 'content-language': lang, ...headers },
  );
