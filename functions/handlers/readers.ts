/**
 * The pages behind the links in mails to readers. GET shows what the link would do and changes
 * nothing (mail scanners prefetch links); only the POST of the page's form acts. This group holds
 * the reader link key and the hash keys, never the key that opens addresses.
 */
import * as v from 'valibot';
import { renderConfirmPage } from '../core/reader-pages';
import { ReaderLinkFormSchema } from '../core/schemas';
import { endpoint } from '../http/endpoint';
import { formBody, type Request } from '../http/request';
import { html } from '../http/response';
import { config } from '../runtime/config';
import { type ConfirmLinkState, followConfirmLink, inspectConfirmLink } from '../usecases/confirmations';

/** A query or form that does not fit carries no usable token: the page then says the link is broken. */
const tokenOf = (input: unknown) => {
  const parsed = v.safeParse(ReaderLinkFormSchema, input);
  return parsed.success ? parsed.output.t : '';
};

export const handler = endpoint('readers', {
  async confirmPage(request) {
    const token = tokenOf(request.query);
    return confirmPage(request, await inspectConfirmLink(token, new Date()), token);
  },

  async confirm(request) {
    const token = tokenOf(formBody(request));
    return confirmPage(request, await followConfirmLink(token, new Date()), token);
  },
});

function confirmPage(request: Request, state: ConfirmLinkState, token: string) {
  const { status, html: body } = renderConfirmPage(state, {
    lang: request.lang,
    siteName: config().siteName,
    token,
  });
  return html(status, body, { 'content-language': request.lang });
}
