import * as v from 'valibot';
import { fieldIssues } from '../core/schemas';
import { badInput } from './errors';

/** Parses input with a schema; a failure is a 400 that names every offending field. */
export function validate<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw badInput(fieldIssues(result.issues));
  return result.output;
}
