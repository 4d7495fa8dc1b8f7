/** The pages before a session: ask for a link, the page a link opens, and errors. */
import type { Lang } from '../messages';
import { type PageFrame, renderDeskPage } from './layout';
import { PasskeyLogin, type PasskeyProblem } from './passkeys-section';
import { ReturnPathField, withReturnPath } from './return-path';
import { DESK_TEXTS } from './texts';

export type LoginRefusal = 'malformed' | 'forged' | 'expired' | 'used';

export function renderLoginPage(
  frame: PageFrame,
  state: {
    sent?: boolean;
    invalid?: boolean;
    email?: string;
    passkeys?: { problem?: PasskeyProblem };
    /** A checked return path (deskReturnPath). */
    next?: string;
  },
) {
  const t = DESK_TEXTS[frame.lang].login;
  return renderDeskPage(
    frame,
    t.title,
    <>
      {state.sent && (
        <p class="notice" role="status">
          {t.sent}
        </p>
      )}
      <p>{t.intro}</p>
      <form method="post" action="/desk/login" class="card">
        <label for="email">{t.email}</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          // Where the browser offers passkeys among its suggestions, the script says so here.
          data-passkey-autofill={state.passkeys ? '' : undefined}
          required
          value={state.email ?? ''}
          aria-invalid={state.invalid ? 'true' : undefined}
          aria-describedby={state.invalid ? 'email-problem' : undefined}
        />
        {state.invalid && (
          <p id="email-problem" class="problem">
            {t.invalid}
          </p>
        )}
        <ReturnPathField next={state.next} />
        <div class="actions">
          <button type="submit" class="primary">
            {t.send}
          </button>
        </div>
      </form>
      {state.passkeys && (
        <PasskeyLogin lang={frame.lang} problem={state.passkeys.problem} next={state.next} />
      )}
    </>,
  );
}

/**
 * What a login link opens: one button. A mail scanner that prefetches the link logs nobody in.
 * `next`: a checked return path, where the button's POST goes on to.
 */
export function renderConfirmPage(frame: PageFrame, token: string, refused?: LoginRefusal, next?: string) {
  const t = DESK_TEXTS[frame.lang].login;
  if (refused) {
    return renderDeskPage(
      frame,
      t.title,
      <>
        <p class="problem">{t.refused[refused]}</p>
        <p>
          <a href={withReturnPath('/desk/login', next)}>{t.again}</a>
        </p>
      </>,
    );
  }
  return renderDeskPage(
    frame,
    t.confirmTitle,
    <form method="post" action="/desk/login/confirm" class="card">
      <p>{t.confirmText}</p>
      <input type="hidden" name="t" value={token} />
      <ReturnPathField next={next} />
      <button type="submit" class="primary">
        {t.confirm}
      </button>
    </form>,
  );
}

/** An error as a page in her language: what happened, where to go, the request id for support. */
export function renderErrorPage(frame: PageFrame, code: string, requestId?: string) {
  const t = DESK_TEXTS[frame.lang].error;
  return renderDeskPage(
    frame,
    t.title,
    <>
      <p class="problem">{t.codes[code] ?? t.fallback}</p>
      <p>
        <a href="/desk">{t.back}</a>
      </p>
      {requestId && (
        <p class="meta">
          {t.request}: {requestId}
        </p>
      )}
    </>,
  );
}

/** The login mail: plain text and HTML, the link and until when it works. */
export function renderLoginMail(lang: Lang, siteName: string, url: string, until: string) {
  const t = DESK_TEXTS[lang].login;
  const intro = t.mailText.replace('{until}', until);
  return {
    subject: `${t.mailSubject} · ${siteName}`,
    text: `${intro}\n\n${url}\n\n${t.mailIgnore}\n`,
    html: `<!doctype html>${
      (
        <div lang={lang}>
          <p>{intro}</p>
          <p>
            <a href={url}>{url}</a>
          </p>
          <p>{t.mailIgnore}</p>
        </div>
      ).value
    }`,
  };
}
