/**
 * The sweep's worker entry from the BUILT package: builds the package with
 * tsup into a scratch folder (no declarations: ~1 s), then runs a small
 * sweep through dist/node.js (ESM) and dist/node.cjs (CJS) in child
 * processes, each with 2 worker threads, and compares with the sources;
 * then a pool the child never closes, which must not keep it alive. The
 * children run with a V8 flag, which a worker's explicit execArgv refuses.
 * Each child also checks that an error thrown by the `node` entry is an
 * instance of the root entry's `LadderConfigError` (one shared class).
 */
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, test } from 'vitest'
import { zigzag } from '../../../test/fixtures.js'
import { candlesFromRows } from '../../candles/csv.js'
import { DEFAULT_LADDER_CONFIG } from '../../config.js'
import { sweep } from './sweep.js'

const run = promisify(execFile)
const pkg = fileURLToPath(new URL('../../..', import.meta.url))
// Inside the package, so the build's external imports (big.js) resolve.
const out = fileURLToPath(
  new URL('../../../node_modules/.cache/sweep-build-test/', import.meta.url),
)
const MARKET = {
  symbol: 'BTC_USDC',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}
const options = {
  config: { ...DEFAULT_LADDER_CONFIG, totalAmount: '1000' },
  market: MARKET,
  grid: { takeProfitPercentage: ['0.1', '0.5'], orderCount: [2, 4] },
  workers: 2,
}

afterAll(() => rmSync(out, { recursive: true, force: true }))

// The child runs a one-shot sweep, then a pool it never closes: an idle
// pool must not keep the process alive (the run's timeout would fail).
const script = (load: string) => `
${load}
const { createSweepPool, sweep } = lib
const options = JSON.parse(process.argv[1])
const rows = (r) => r.map((x) => [x.index, x.metric, x.report.cycles])
;(async () => {
  const once = await sweep(options)
  const bad = await sweep({ ...options, grid: {} }).catch((e) => e)
  const shared = bad instanceof root.LadderConfigError
  const pool = await createSweepPool({ dataPath: options.dataPath, workers: 2 })
  const pooled = await pool.sweep({ config: options.config, market: options.market, grid: options.grid })
  process.stdout.write(JSON.stringify({ once: rows(once), pooled: rows(pooled), shared }))
})().catch((e) => { console.error(e); process.exit(1) })`

describe('sweep (built package)', () => {
  test('behavior: the ESM and CJS builds find their worker entry, share the error classes of the root entry; an idle pool lets the process exit', async () => {
    mkdirSync(out, { recursive: true })
    await run('npx', ['tsup', '--out-dir', out, '--no-dts', '--silent'], {
      cwd: pkg,
    })
    const rows = zigzag(1500)
    const expected = (
      await sweep({ ...options, candles: candlesFromRows(rows), workers: 0 })
    ).map((x) => [x.index, x.metric, x.report.cycles])
    // The children read the candles from a file (the dataPath option), its
    // times in ms of 2024 so the file's unit can be told (the results only
    // depend on the time between candles).
    const dataPath = `${out}candles.csv`
    const epoch = Date.UTC(2024, 0, 1)
    writeFileSync(
      dataPath,
      rows
        .map((r) =>
          [epoch + r.openTime, r.open, r.high, r.low, r.close, r.volume].join(
            ',',
          ),
        )
        .join('\n'),
    )
    const args = [JSON.stringify({ ...options, dataPath })]
    const esm = await run(
      process.execPath,
      [
        '--input-type=module',
        '--max-semi-space-size=32',
        '-e',
        script(
          `const root = await import(${JSON.stringify(`${out}index.js`)})\nconst lib = await import(${JSON.stringify(`${out}node.js`)})`,
        ),
        ...args,
      ],
      { cwd: out, timeout: 30_000 },
    )
    const cjs = await run(
      process.execPath,
      [
        '--max-semi-space-size=32',
        '-e',
        script(
          `const root = require(${JSON.stringify(`${out}index.cjs`)})\nconst lib = require(${JSON.stringify(`${out}node.cjs`)})`,
        ),
        ...args,
      ],
      { cwd: out, timeout: 30_000 },
    )
    const both = { once: expected, pooled: expected, shared: true }
    expect(JSON.parse(esm.stdout)).toEqual(both)
    expect(JSON.parse(cjs.stdout)).toEqual(both)
  }, 60_000)
})
