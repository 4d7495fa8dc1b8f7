/**
 * The two requests of the author's one-click links (GET /moderate, POST /moderate), apart from
 * schemas.ts: the moderation Lambda bundles these few lines, not every submission schema of the
 * API (esbuild keeps every schema of a module that reads LIMITS, used or not). Not re-exported
 * there either, or the widget, which imports schemas.ts, would carry them.
 */
import * as v from 'valibot';
import { LIMITS } from './limits';
import { typeMessage } from './type-message';

/** GET /moderate: the signed link token from the author's mail (other query keys are ignored). */
export const ModerationLinkQuerySchema = v.object({
  t: v.pipe(v.string(typeMessage), v.maxLength(200, 'too_long')),
});

/** POST /moderate (form): the token, plus the article for the wish action "written". */
export const ModerationFormSchema = v.object({
  t: v.pipe(v.string(typeMessage), v.maxLength(200, 'too_long')),
  articleUrl: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.pageUrl.maxChars, 'too_long'))),
  writtenAt: v.optional(v.pipe(v.string(), v.maxLength(40, 'too_long'))),
});
