import { LIMITS } from '../core/limits';
import {
  CountsQuerySchema,
  ListCommentsQuerySchema,
  ListComplimentsQuerySchema,
  NewCommentSchema,
} from '../core/schemas';
import { endpoint } from '../http/endpoint';
import { invalidCursor } from '../http/errors';
import { json } from '../http/response';
import { submission } from '../http/submission';
import { validate } from '../http/validate';
import { countVisibleComments, listCompliments, listVisibleComments } from '../store/comments';
import { submitComment } from '../usecases/comments';
import { issueGuard } from '../usecases/guard';

export const handler = endpoint('comments', {
  postComment: submission('postComment', NewCommentSchema, submitComment),

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
