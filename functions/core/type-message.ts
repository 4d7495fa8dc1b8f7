/** The issue code of a value that is not a string (or not the type asked for): a missing one is `required`. */
export const typeMessage = (issue: { input: unknown }) =>
  issue.input === undefined || issue.input === null ? 'required' : 'wrong_type';
