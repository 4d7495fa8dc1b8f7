/**
 * The bench's results: one row per figure (measured value, goal, verdict), the markdown table
 * printed at the end and the JSON written to bench/results/bench.json for tooling.
 */

export interface Row {
  section: string;
  figure: string;
  measured: string;
  goal: string;
  verdict: string;
}

/** Progress goes to stderr so stdout holds only the table. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Bytes as KB (1 KB = 1,000 bytes, the stricter reading of a budget); a difference under 1 KB in bytes. */
export function kb(bytes: number): string {
  return Math.abs(bytes) < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} KB`;
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** "met", or "missed by X" in the figure's own unit, for a value that must stay at or below a limit. */
export function atMost(value: number, limit: number, format: (n: number) => string): string {
  return value <= limit ? 'met' : `missed by ${format(value - limit)}`;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export interface Distribution {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Milliseconds since `start` (a process.hrtime.bigint() reading). */
export function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A markdown table with padded columns, as the repository's formatter (Biome) writes them. */
export function markdownTable(rows: readonly Row[]): string {
  const body = rows.map((row) =>
    [row.figure, row.measured, row.goal, row.verdict].map((cell) => cell.replace(/\|/g, '\\|')),
  );
  const header = ['figure', 'measured', 'goal', 'verdict'];
  const widths = header.map((name, i) => Math.max(3, name.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}
