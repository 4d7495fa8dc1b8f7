import { LIMITS } from '../core/limits';
import {
  CountsQuerySchema,
  ListCommentsQuerySchema,
  ListComplimentsQuerySchema,
  NewCommentSchema,
} from '../core/schemas';
import { endpoint } from '../http/endpoint';
import { HttpError } from '../http/errors';
import { jsonBody } from '../http/request';
import { json } from '../http/response';
import { validate } from '../http/validate';
import { countVisibleComments, listCompliments, listVisibleComments } from '../store/comments';
import { submitComment } from '../usecases/comments';

const invalidCursor = () =>
  new HttpError(400, 'invalid_input', [{ field: 'cursor', code: 'invalid_cursor' }]);

export const handler = endpoint('comments', {
  async postComment(request) {
    const input = validate(NewCommentSchema, jsonBody(request));
    const result = await submitComment(input, {
      sourceIp: request.sourceIp,
      lang: request.lang,
      now: new Date(),
    });
    return json(201, result);
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
