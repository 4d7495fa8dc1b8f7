/**
 * The pages behind the links in mails to readers. GET shows what the link would do and changes
 * nothing (mail scanners prefetch links); only the POST of the page's form acts. This group holds
 * the reader link key and the hash keys, never the key that opens addresses.
 */
import * as v from 'valibot';
import { renderConfirmPage, renderUnsubscribePage } from '../core/reader-pages';
import { ReaderLinkFormSchema, UnsubscribeFormSchema } from '../core/schemas';
import { endpoint } from '../http/endpoint';
import { htmlErrorResponse } from '../http/html-errors';
import { formBody, type Request } from '../http/request';
import { html } from '../http/response';
import { config } from '../runtime/config';
import { type ConfirmLinkState, followConfirmLink, inspectConfirmLink } from '../usecases/confirmations';
import { followUnsubscribeLink, inspectUnsubscribeLink } from '../usecases/unsubscribe';

/** A query or form that does not fit carries no usable token: the page then says the link is broken. */
const tokenOf = (input: unknown) => {
  const parsed = v.safeParse(ReaderLinkFormSchema, input);
  return parsed.success ? parsed.output.t : '';
};

export const handler = endpoint(
  'readers',
  {
    async confirmPage(request) {
      const token = tokenOf(request.query);
      return confirmPage(request, await inspectConfirmLink(token, new Date()), token);
    },

    async confirm(request) {
      const token = tokenOf(formBody(request));
      return confirmPage(request, await followConfirmLink(token, new Date()), token);
    },

    async unsubscribePage(request) {
      const token = tokenOf(request.query);
      const { status, html: body } = renderUnsubscribePage(await inspectUnsubscribeLink(token, new Date()), {
        lang: request.lang,
        siteName: config().siteName,
        token,
      });
      return html(status, body, { 'content-language': request.lang });
    },

    /**
     * RFC 8058 one-click: the mail client POSTs `List-Unsubscribe=One-Click` to the header's URL
     * (token in the query), form-encoded or multipart; the page's buttons post the token as a field.
     */
    async unsubscribe(request) {
      const form = v.safeParse(UnsubscribeFormSchema, formFields(request));
      const fields = form.success ? form.output : {};
      const token = tokenOf(request.query) || (fields.t ?? '');
      const state = await followUnsubscribeLink(token, fields.scope === 'all' ? 'all' : 'thread', new Date());
      const { status, html: body } = renderUnsubscribePage(state, {
        lang: request.lang,
        siteName: config().siteName,
        token,
      });
      return html(status, body, { 'content-language': request.lang });
    },
    // Pages: their forms post from the API's own origin (not one of the blog's), errors are pages.
  },
  { pages: htmlErrorResponse },
);

/** The form fields of a urlencoded body; any other body (multipart one-click) carries none we need. */
function formFields(request: Request): Record<string, string> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' ? formBody(request) : {};
}

function confirmPage(request: Request, state: ConfirmLinkState, token: string) {
  const { status, html: body } = renderConfirmPage(state, {
    lang: request.lang,
    siteName: config().siteName,
    token,
  });
  return html(status, body, { 'content-language': request.lang });
}
