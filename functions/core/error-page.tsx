/**
 * The error page of routes a person opens in a browser (the moderation links): what went wrong in
 * the reader's language, the fields concerned, and for failures on our side the request id to
 * quote. The JSON routes say the same with the same codes (http/response.ts).
 */
import { errorText, fieldText, type Lang } from './messages';
import { renderPublicPage } from './public-page';
import type { FieldIssue } from './schemas';

const TITLES: Record<
  Lang,
  { client: string; busy: string; broken: string; requestId: string; later: string }
> = {
  de: {
    client: 'Das hat nicht geklappt',
    busy: 'Gerade nicht erreichbar',
    broken: 'Ein Fehler ist aufgetreten',
    requestId: 'Anfrage-Kennung',
    later: 'Es wurde nichts geändert. Lade die Seite in ein paar Sekunden neu.',
  },
  en: {
    client: 'That did not work',
    busy: 'Not available right now',
    broken: 'Something went wrong',
    requestId: 'Request id',
    later: 'Nothing was changed. Reload the page in a few seconds.',
  },
};

export interface ErrorPageInput {
  status: number;
  code: string;
  lang: Lang;
  siteName: string;
  fields?: readonly FieldIssue[];
  requestId?: string;
}

export function renderErrorPage(input: ErrorPageInput): string {
  const t = TITLES[input.lang];
  const ours = input.status >= 500;
  const title = input.status === 503 || input.status === 429 ? t.busy : ours ? t.broken : t.client;
  const fields = input.fields ?? [];
  return renderPublicPage(
    input,
    title,
    <>
      <p>{errorText(input.code, input.lang)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((issue) => (
            <li>
              {issue.field}: {fieldText(issue.code, input.lang)}
            </li>
          ))}
        </ul>
      )}
      {(ours || input.status === 429) && <p>{t.later}</p>}
      {ours && input.requestId && (
        <p class="note">
          {t.requestId}: <code>{input.requestId}</code>
        </p>
      )}
    </>,
    'refused',
  );
}
