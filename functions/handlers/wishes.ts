import * as v from 'valibot';
import { wishFeed } from '../core/feed';
import { LIMITS } from '../core/limits';
import {
  CastVoteSchema,
  CreditQuerySchema,
  IdSchema,
  ListWishesQuerySchema,
  NewWishSchema,
  OwnStatusSchema,
  VoteSchema,
  WishFeedQuerySchema,
} from '../core/schemas';
import { endpoint } from '../http/endpoint';
import { HttpError, invalidCursor } from '../http/errors';
import { feedSite, selfUrl } from '../http/feed';
import { jsonBody, type Request } from '../http/request';
import { json, rss } from '../http/response';
import { submission } from '../http/submission';
import { validate } from '../http/validate';
import { WISH_ROUTES } from '../routes';
import { findCreditedWish, listPublicWishes } from '../store/wishes';
import { ownStatuses } from '../usecases/own-status';
import { castVote, submitWish, withdrawVote } from '../usecases/wishes';

/** A path id that cannot be a wish id names no wish on the board. */
function wishIdOf(request: Request): string {
  const id = request.pathParams.id ?? '';
  if (!v.is(IdSchema, id)) throw new HttpError(404, 'wish_not_found');
  return id;
}

const voteContext = (request: Request) => ({
  sourceIp: request.sourceIp,
  lang: request.lang,
  now: new Date(),
});

export const handler = endpoint('wishes', WISH_ROUTES, {
  postWish: submission('postWish', NewWishSchema, submitWish),

  async listWishes(request) {
    const query = validate(ListWishesQuerySchema, request.query);
    const result = await listPublicWishes(
      query.sort,
      query.limit ?? LIMITS.list.defaultPageSize,
      query.cursor,
    );
    if (result === 'invalid_cursor') throw invalidCursor();
    return json(200, result);
  },

  async wishStatus(request) {
    const { items } = validate(OwnStatusSchema, jsonBody(request));
    return json(200, { statuses: await ownStatuses('wish', items) });
  },

  async voteWish(request) {
    const id = wishIdOf(request);
    const vote = validate(CastVoteSchema, jsonBody(request));
    return json(200, await castVote(id, vote, voteContext(request)));
  },

  async unvoteWish(request) {
    const id = wishIdOf(request);
    const { voterId } = validate(VoteSchema, jsonBody(request));
    return json(200, await withdrawVote(id, voterId, voteContext(request)));
  },

  async wishFeed(request) {
    validate(WishFeedQuerySchema, request.query);
    const result = await listPublicWishes('newest', LIMITS.feedItems, undefined);
    const site = feedSite();
    const wishes = result === 'invalid_cursor' ? [] : result.wishes;
    return rss(wishFeed(site, wishes, selfUrl(request), `${site.origin}/`));
  },

  async wishCredit(request) {
    const query = validate(CreditQuerySchema, request.query);
    return json(200, { wish: await findCreditedWish(query.page) });
  },
});
