import * as v from 'valibot';
import { commentFeed } from '../core/feed';
import { LIMITS } from '../core/limits';
import {
  CommentFeedQuerySchema,
  CountsQuerySchema,
  DeleteCommentSchema,
  EditCommentSchema,
  IdSchema,
  ListCommentsQuerySchema,
  ListComplimentsQuerySchema,
  NewCommentSchema,
  OwnStatusSchema,
} from '../core/schemas';
import { endpoint } from '../http/endpoint';
import { HttpError, invalidCursor } from '../http/errors';
import { feedSite, selfUrl } from '../http/feed';
import { jsonBody, type Request } from '../http/request';
import { json, rss } from '../http/response';
import { submission } from '../http/submission';
import { validate } from '../http/validate';
import { COMMENT_ROUTES } from '../routes';
import { countVisibleComments } from '../store/comments';
import { listCompliments, listRecentComments, listVisibleComments } from '../store/public-comments';
import { deleteOwnComment, editOwnComment, OwnCommentRefused } from '../usecases/comment-edits';
import { submitComment } from '../usecases/comments';
import { issueGuard } from '../usecases/guard';
import { ownStatuses } from '../usecases/own-status';

/** The writer's own change of a comment; a refusal becomes 404 or 403. */
async function ownChange<T>(request: Request, change: (id: string) => Promise<T>): Promise<T> {
  const id = request.pathParams.id ?? '';
  try {
    if (!v.is(IdSchema, id)) throw new OwnCommentRefused('comment_not_found');
    return await change(id);
  } catch (error) {
    if (error instanceof OwnCommentRefused)
      throw new HttpError(error.code === 'comment_not_found' ? 404 : 403, error.code);
    throw error;
  }
}

export const handler = endpoint('comments', COMMENT_ROUTES, {
  postComment: submission('postComment', NewCommentSchema, submitComment),

  async editComment(request) {
    const input = validate(EditCommentSchema, jsonBody(request));
    return json(
      200,
      await ownChange(request, (id) =>
        editOwnComment(id, input, { sourceIp: request.sourceIp, lang: request.lang, now: new Date() }),
      ),
    );
  },

  async deleteComment(request) {
    const { editKey } = validate(DeleteCommentSchema, jsonBody(request));
    return json(200, await ownChange(request, (id) => deleteOwnComment(id, editKey, new Date())));
  },

  async commentStatus(request) {
    const { items } = validate(OwnStatusSchema, jsonBody(request));
    return json(200, { statuses: await ownStatuses('comment', items) });
  },

  async getGuard() {
    return json(200, await issueGuard(new Date()));
  },

  async listComments(request) {
    const query = validate(ListCommentsQuerySchema, request.query);
    const result = await listVisibleComments(
      query.page,
      query.order,
      query.limit ?? LIMITS.list.defaultPageSize,
      query.cursor,
    );
    if (result === 'invalid_cursor') throw invalidCursor();
    return json(200, { page: query.page, ...result });
  },

  async commentFeed(request) {
    const { page } = validate(CommentFeedQuerySchema, request.query);
    const comments = page
      ? await listVisibleComments(page, 'newest', LIMITS.feedItems, undefined)
      : { comments: await listRecentComments(LIMITS.feedItems) };
    if (comments === 'invalid_cursor') throw invalidCursor();
    return rss(commentFeed(feedSite(), comments.comments, selfUrl(request), page));
  },

  async countComments(request) {
    const query = validate(CountsQuerySchema, request.query);
    return json(200, { counts: await countVisibleComments(query.pages) });
  },

  async listCompliments(request) {
    const query = validate(ListComplimentsQuerySchema, request.query);
    const result = await listCompliments(query.limit ?? LIMITS.list.defaultPageSize, query.cursor);
    if (result === 'invalid_cursor') throw invalidCursor();
    return json(200, result);
  },
});
