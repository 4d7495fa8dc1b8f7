/**
 * Passkeys on the desk's pages: her list with add and remove on the settings page, the sign-in
 * button on the login page. The forms that need WebAuthn are `hidden` until the passkey script
 * finds it in the browser; without it (or without JavaScript) the pages work as before.
 */
import { LIMITS } from '../limits';
import type { Lang } from '../messages';
import { Csrf, formatDeskTime } from './layout';
import { DESK_PASSKEY_JS_FILE } from './passkey-script';
import { ReturnPathField } from './return-path';
import { DESK_TEXTS } from './texts';

export interface PasskeyListEntry {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
  backedUp?: boolean;
}

export type PasskeyProblem = { field: string; code: string };

export const PasskeyScript = () => <script src={`/desk/assets/${DESK_PASSKEY_JS_FILE}`} defer />;

/** A refusal as she reads it; a technical one names the field underneath (for a support question). */
export function PasskeyProblemText({ lang, problem }: { lang: Lang; problem: PasskeyProblem }) {
  const t = DESK_TEXTS[lang].passkeys;
  const text = problem.field === 'name' ? t.problems.name : (t.problems[problem.code] ?? t.problems.fallback);
  const technical = problem.field.startsWith('credential') || problem.field === 'attempt';
  return (
    <div class="problem" role="alert">
      <p>{text}</p>
      {technical && (
        <p class="meta">
          {t.field}: <code>{problem.field}</code> ({problem.code})
        </p>
      )}
    </div>
  );
}

/** Data attributes the script reads: what to say while it runs, and when its challenge gets old. */
function scriptTexts(lang: Lang) {
  const t = DESK_TEXTS[lang].passkeys;
  return {
    'data-waiting': t.waiting,
    'data-cancelled': t.cancelled,
    'data-failed': t.failed,
    // A minute before the challenge expires, the script fetches a new one.
    'data-refresh-seconds': String(LIMITS.desk.passkeyChallengeTtlSeconds - 60),
  };
}

export function PasskeySection({
  lang,
  csrf,
  passkeys,
  timeZone,
  problem,
  name,
  done,
}: {
  lang: Lang;
  csrf: string;
  passkeys: PasskeyListEntry[];
  timeZone: string;
  problem?: PasskeyProblem;
  /** The name she typed, kept when the page comes back with a problem. */
  name?: string;
  done?: 'added' | 'removed';
}) {
  const t = DESK_TEXTS[lang].passkeys;
  const full = passkeys.length >= LIMITS.desk.passkeysMax;
  const nameProblem = problem?.field === 'name';
  return (
    <section aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">{t.title}</h2>
      <p>{t.intro}</p>
      {done && (
        <p class="notice" role="status">
          {done === 'added' ? t.addedDone : t.removedDone}
        </p>
      )}
      {problem && <PasskeyProblemText lang={lang} problem={problem} />}
      {passkeys.length === 0 ? (
        <p class="meta">{t.none}</p>
      ) : (
        <ul class="plain">
          {passkeys.map((passkey) => (
            <li key={passkey.id} class="card">
              <strong>{passkey.name}</strong>
              <p class="meta">
                {t.added}: {formatDeskTime(passkey.createdAt, lang, timeZone)} · {t.lastUsed}:{' '}
                {passkey.lastUsedAt ? formatDeskTime(passkey.lastUsedAt, lang, timeZone) : t.neverUsed}
                {passkey.backedUp ? ` · ${t.synced}` : ''}
              </p>
              <form method="post" action="/desk/passkeys/remove" class="inline-form">
                <Csrf token={csrf} />
                <input type="hidden" name="id" value={passkey.id} />
                <button type="submit" aria-label={t.removeLabel(passkey.name)}>
                  {t.remove}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {full ? (
        <p class="meta">{t.full}</p>
      ) : (
        <>
          <form
            method="post"
            action="/desk/passkeys"
            class="card"
            data-passkey="register"
            data-options="/desk/passkeys/options"
            data-exists={t.exists}
            {...scriptTexts(lang)}
            hidden
          >
            <Csrf token={csrf} />
            <label for="passkey-name">{t.name}</label>
            <input
              id="passkey-name"
              name="name"
              required
              maxLength={LIMITS.desk.passkeyNameMaxChars}
              autocomplete="off"
              value={name ?? ''}
              aria-describedby="passkey-name-hint"
              aria-invalid={nameProblem ? 'true' : undefined}
            />
            <p id="passkey-name-hint" class="meta">
              {t.nameHint}
            </p>
            <input type="hidden" name="credential" value="" />
            <div class="actions">
              <button type="submit" class="primary">
                {t.add}
              </button>
            </div>
            <p class="meta" role="status" data-passkey-status />
          </form>
          <p class="meta" data-passkey-missing>
            {t.missing}
          </p>
        </>
      )}
      <PasskeyScript />
    </section>
  );
}

/** The login page's way in with a passkey: one button, no name to type (discoverable credential). */
export function PasskeyLogin({
  lang,
  problem,
  next,
}: {
  lang: Lang;
  problem?: PasskeyProblem;
  next?: string;
}) {
  const t = DESK_TEXTS[lang].passkeys;
  return (
    <>
      {problem && <PasskeyProblemText lang={lang} problem={problem} />}
      <form
        method="post"
        action="/desk/passkeys/login"
        class="card"
        data-passkey="login"
        data-options="/desk/passkeys/login/options"
        {...scriptTexts(lang)}
        hidden
      >
        <p>{t.loginIntro}</p>
        <input type="hidden" name="credential" value="" />
        <ReturnPathField next={next} />
        <div class="actions">
          <button type="submit" class="primary">
            {t.login}
          </button>
        </div>
        <p class="meta" role="status" data-passkey-status />
      </form>
      <PasskeyScript />
    </>
  );
}
