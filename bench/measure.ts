/** Small statistics helpers shared by the benchmarks. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summary(values: number[]): { n: number; p50: number; p99: number; max: number } {
  return { n: values.length, p50: round(percentile(values, 50)), p99: round(percentile(values, 99)), max: round(Math.max(...values)) };
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** One row of the printed table: what, the figure, and what it is compared with. */
export interface BenchRow {
  name: string;
  value: string;
  compare?: string;
}
