/**
 * The one-click links from the author's mails. GET shows what the link would do and changes
 * nothing (mail scanners prefetch links); only the POST of the confirmation form acts.
 */
import * as v from 'valibot';
import { ModerationFormSchema, ModerationLinkQuerySchema } from '../core/moderation-forms';
import { renderLinkPage } from '../core/moderation-page';
import { endpoint } from '../http/endpoint';
import { htmlErrorResponse } from '../http/html-errors';
import { formBody, type Request } from '../http/request';
import { html } from '../http/response';
import { MODERATION_ROUTES } from '../routes';
import { config } from '../runtime/config';
import { followLink, inspectLink, type LinkState } from '../usecases/moderation';

export const handler = endpoint(
  'moderation',
  MODERATION_ROUTES,
  {
    async moderationPage(request) {
      // A query that does not fit carries no usable token: the page then says the link is broken.
      const parsed = v.safeParse(ModerationLinkQuerySchema, request.query);
      const token = parsed.success ? parsed.output.t : '';
      return page(request, await inspectLink(token, new Date()), token);
    },

    async moderate(request) {
      const parsed = v.safeParse(ModerationFormSchema, formBody(request));
      const form = parsed.success ? parsed.output : { t: '' };
      const options = { articleUrl: form.articleUrl, writtenAt: form.writtenAt };
      return page(request, await followLink(form.t, options, new Date()), form.t, options);
    },
  },
  { pages: htmlErrorResponse },
);

function page(
  request: Request,
  state: LinkState,
  token: string,
  form?: { articleUrl?: string; writtenAt?: string },
) {
  const { status, html: body } = renderLinkPage(state, {
    lang: request.lang,
    siteName: config().siteName,
    token,
    form,
    blogOrigin: config().allowedOrigins[0],
    deskUrl: config().deskUrl,
  });
  return html(status, body, { 'content-language': request.lang });
}
