import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { captureIo, tempDir, writeCandleFile } from '../../test/e2e.js'
import { main } from '../main.js'
import { metricText } from './sweepReport.js'

const grid = [
  '--workers',
  '0',
  '--grid',
  'takeProfitPercentage=0.25,1',
  '--grid',
  'orderCount=4,8',
  '--grid',
  'incrementPercentage=0,50',
]

describe('rung sweep --report', () => {
  test('behavior: the report has the whole ranking and a heat map whose cells are the best run of each pair', async () => {
    const dir = tempDir()
    const data = writeCandleFile(dir, 300)
    const json = captureIo({}, dir)
    expect(
      await main(['sweep', '--data', data, ...grid, '--json'], json.io),
    ).toBe(0)
    const ranked = JSON.parse(json.stdout()) as {
      rank: number
      params: Record<string, unknown>
      metric: string
    }[]
    const { io, stdout } = captureIo({}, dir)
    expect(
      await main(
        [
          'sweep',
          '--data',
          data,
          ...grid,
          '--report',
          's.html',
          '--heatmap',
          'orderCount,takeProfitPercentage',
        ],
        io,
      ),
    ).toBe(0)
    expect(stdout()).toContain(`report: ${join(dir, 's.html')}`)
    const html = readFileSync(join(dir, 's.html'), 'utf8')
    expect(html).not.toContain('<script')
    const cells = [
      ...html.matchAll(
        /<td class="cell" data-x="([^"]*)" data-y="([^"]*)" data-rank="(\d+)"[^>]*>([^<]*)<\/td>/g,
      ),
    ]
    expect(cells).toHaveLength(4)
    for (const [, x, y, rank, text] of cells) {
      // The best (lowest rank) of the two runs with this pair.
      const runs = ranked.filter(
        (r) =>
          String(r.params.orderCount) === x &&
          String(r.params.takeProfitPercentage) === y,
      )
      expect(runs).toHaveLength(2)
      const best = runs.reduce((a, b) => (a.rank < b.rank ? a : b))
      expect(Number(rank)).toBe(best.rank)
      expect(text).toBe(metricText(best.metric))
    }
    const rows = html.split('<table id="ranking">')[1]?.match(/<tr><td>/g)
    expect(rows).toHaveLength(8)
  })

  test('error: --heatmap naming a parameter the grid does not vary exits 2 naming the flag, before the sweep', async () => {
    const dir = tempDir()
    const data = writeCandleFile(dir, 300)
    const { io, stderr } = captureIo({}, dir)
    expect(
      await main(
        [
          'sweep',
          '--data',
          data,
          ...grid,
          '--report',
          's.html',
          '--heatmap',
          'orderCount,maxCycles',
        ],
        io,
      ),
    ).toBe(2)
    expect(stderr()).toContain('--heatmap')
    expect(stderr()).toContain('maxCycles is not a --grid parameter')
  })
})
