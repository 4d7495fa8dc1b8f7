/**
 * The pages behind the links in mails to readers. GET shows what the link would do and changes
 * nothing (mail scanners prefetch links); only the POST of the page's form acts. This group holds
 * the reader link key and the hash keys, never the key that opens addresses.
 */
import * as v from 'valibot';
import { LIMITS } from '../core/limits';
import type { Lang } from '../core/messages';
import { renderDataForm, renderDataPage, renderDataSent } from '../core/reader-data-pages';
import { renderConfirmPage, renderUnsubscribePage } from '../core/reader-pages';
import {
  DataActionFormSchema,
  DataFormQuerySchema,
  DataRequestFormSchema,
  fieldIssues,
  ReaderLinkFormSchema,
  UnsubscribeFormSchema,
} from '../core/schemas';
import { endpoint } from '../http/endpoint';
import { badInput } from '../http/errors';
import { htmlErrorResponse } from '../http/html-errors';
import { formBody, type Request } from '../http/request';
import { html, jsonAttachment } from '../http/response';
import { validate } from '../http/validate';
import { READER_ROUTES } from '../routes';
import { config } from '../runtime/config';
import { type ConfirmLinkState, followConfirmLink, inspectConfirmLink } from '../usecases/confirmations';
import {
  type DataLinkState,
  eraseByDataLink,
  openDataLink,
  requestDataLink,
} from '../usecases/data-requests';
import { followUnsubscribeLink, inspectUnsubscribeLink } from '../usecases/unsubscribe';

/** A query or form that does not fit carries no usable token: the page then says the link is broken. */
const tokenOf = (input: unknown) => {
  const parsed = v.safeParse(ReaderLinkFormSchema, input);
  return parsed.success ? parsed.output.t : '';
};

export const handler = endpoint(
  'readers',
  READER_ROUTES,
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

    /** "Meine Daten": the form (the widget links `?lang=de|en`). */
    async dataForm(request) {
      const lang = validate(DataFormQuerySchema, request.query).lang ?? request.lang;
      const { status, html: body } = renderDataForm({ lang, siteName: config().siteName });
      return html(status, body, { 'content-language': lang });
    },

    /**
     * Sends her data link if anything is stored for the address. The answer is the same page
     * whatever was found, limited or sent; only a malformed form gets another.
     */
    async dataRequest(request) {
      const form = formBody(request);
      const parsed = v.safeParse(DataRequestFormSchema, form);
      if (!parsed.success) {
        const issues = fieldIssues(parsed.issues);
        if (issues.some((issue) => issue.field !== 'email')) throw badInput(issues);
        const lang = form.lang === 'en' || form.lang === 'de' ? form.lang : request.lang;
        const { status, html: body } = renderDataForm({
          lang,
          siteName: config().siteName,
          problem: 'invalid_email',
          email: (form.email ?? '').slice(0, 254),
        });
        return html(status, body, { 'content-language': lang });
      }
      const lang = parsed.output.lang ?? request.lang;
      await requestDataLink({ email: parsed.output.email, lang, sourceIp: request.sourceIp }, new Date());
      const linkHours = LIMITS.readers.dataLinkTtlSeconds / 3600;
      return html(200, renderDataSent({ lang, siteName: config().siteName, linkHours }), {
        'content-language': lang,
      });
    },

    /** The page her data link opens: everything stored for her. Changes nothing. */
    async dataPage(request) {
      const token = tokenOf(request.query);
      return dataPage(request, await openDataLink(token, new Date()), token);
    },

    /** Her data page's buttons: the JSON download, or erasing everything (with the tick). */
    async dataAction(request) {
      const form = validate(DataActionFormSchema, formBody(request));
      const now = new Date();
      if (form.do === 'erase' && form.confirm === '1') {
        return dataPage(request, await eraseByDataLink(form.t, now), form.t);
      }
      const state = await openDataLink(form.t, now);
      if (state.state !== 'show') return dataPage(request, state, form.t);
      if (form.do === 'download') return jsonAttachment(state.data, 'meine-daten.json');
      return dataPage(request, { ...state, problem: 'confirm_needed' }, form.t);
    },
  },
  { pages: htmlErrorResponse },
);

function dataPage(
  request: Request,
  state: DataLinkState | (DataLinkState & { problem: 'confirm_needed' }),
  token: string,
) {
  // Her page speaks the language she asked in; a refused link the browser's.
  const lang: Lang = 'lang' in state ? state.lang : request.lang;
  const { status, html: body } = renderDataPage(state, {
    lang,
    siteName: config().siteName,
    token,
    timeZone: config().timeZone,
  });
  return html(status, body, { 'content-language': lang });
}

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
