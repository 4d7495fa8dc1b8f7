/**
 * The route handler of a reader's submission (a comment, a wish): JSON body, Idempotency-Key,
 * validation with the shared schema, the use case, 201 with its result. One place, so every
 * submission route treats retries and bad input the same way.
 */
import type * as v from 'valibot';
import type { SubmissionContext } from '../usecases/guard';
import type { RouteHandler } from './endpoint';
import { idempotent } from './idempotency';
import { jsonBody } from './request';
import { json } from './response';
import { validate } from './validate';

export function submission<TSchema extends v.GenericSchema>(
  operationId: string,
  schema: TSchema,
  submit: (input: v.InferOutput<TSchema>, context: SubmissionContext) => Promise<unknown>,
): RouteHandler {
  return async (request) => {
    const body = jsonBody(request);
    return idempotent(request, operationId, async (recordResponse) => {
      const input = validate(schema, body);
      const result = await submit(input, {
        sourceIp: request.sourceIp,
        lang: request.lang,
        now: new Date(),
        userAgent: request.headers['user-agent'],
        recordResponse,
      });
      return json(201, result);
    });
  };
}
