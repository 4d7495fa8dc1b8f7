/** The very handler functions Lambda runs, by route group, for the local stack. */

import { handler as comments } from '../functions/handlers/comments';
import { handler as desk } from '../functions/handlers/desk';
import { handler as meta } from '../functions/handlers/meta';
import { handler as moderation } from '../functions/handlers/moderation';
import { handler as readers } from '../functions/handlers/readers';
import { handler as wishes } from '../functions/handlers/wishes';
import type { HandlerGroup } from '../functions/routes';
import type { LambdaHttpHandler } from './http-adapter';

export const LOCAL_HANDLERS: Partial<Record<HandlerGroup, LambdaHttpHandler>> = {
  comments: comments as LambdaHttpHandler,
  desk: desk as LambdaHttpHandler,
  meta: meta as LambdaHttpHandler,
  moderation: moderation as LambdaHttpHandler,
  readers: readers as LambdaHttpHandler,
  wishes: wishes as LambdaHttpHandler,
};
