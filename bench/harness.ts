/**
 * Shared benchmark harness. Every benchmark measures its subject and a
 * baseline in the same run, on the same machine state, and prints the ratio:
 * absolute numbers drift between machines, ratios much less.
 */
import { Bench } from 'tinybench'

/** One measured case. */
export interface Case {
  /** Label printed in the table. */
  name: string
  /** The work for one iteration. */
  fn: () => unknown
  /** Units of work done by one call of `fn` (e.g. frames parsed); default 1. */
  units?: number
}

/** A comparison: a baseline and the cases measured against it. */
export interface Comparison {
  /** Heading printed above the table. */
  title: string
  /** Unit name for the rate column, e.g. "frames/s". */
  unit: string
  /** The physical floor or reference implementation. */
  baseline: Case
  /** What we built. */
  cases: Case[]
  /** Time budget per case in ms; default 500. */
  timeMs?: number
}

/** Runs one comparison and prints rate per case and its cost relative to the baseline. */
export async function compare(c: Comparison): Promise<void> {
  const bench = new Bench({ time: c.timeMs ?? 500, warmupTime: 100 })
  const all = [c.baseline, ...c.cases]
  for (const k of all) bench.add(k.name, k.fn)
  await bench.run()
  const rate = (k: Case, i: number) => {
    const result = bench.tasks[i]?.result
    const hz =
      result && 'throughput' in result ? result.throughput.mean : Number.NaN
    return hz * (k.units ?? 1)
  }
  const base = rate(c.baseline, 0)
  console.log(`\n## ${c.title}`)
  console.log(`${'case'.padEnd(48)} ${c.unit.padStart(16)}  cost vs baseline`)
  all.forEach((k, i) => {
    const r = rate(k, i)
    const ratio = i === 0 ? 'baseline' : `${(base / r).toFixed(2)}x`
    console.log(
      `${k.name.padEnd(48)} ${Math.round(r).toLocaleString('en-US').padStart(16)}  ${ratio}`,
    )
  })
}
