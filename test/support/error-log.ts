/**
 * Import this first in a test file that asserts "no ERROR log line": the logger is silent in tests
 * unless a level is set before it loads, and ERROR is the level such a check needs.
 */
process.env.LOG_LEVEL ??= 'ERROR';

/** The logger's ERROR lines while a request runs (the logger writes WARN and ERROR to stderr). */
export function captureErrorLog(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.includes('"level":"ERROR"')) lines.push(text);
    else return (original as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
    return true;
  }) as typeof process.stderr.write;
  return {
    lines,
    stop: () => {
      process.stderr.write = original;
    },
  };
}
