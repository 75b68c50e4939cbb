import { describe, expect, test } from 'vitest'
import { createProgress } from './progress.js'

describe('createProgress', () => {
  test('default: without a TTY, one line per tenth', () => {
    const lines: string[] = []
    const progress = createProgress('loading', {
      write: (t: string) => lines.push(t),
      isTTY: false,
    } as unknown as NodeJS.WritableStream)
    for (let i = 0; i <= 100; i += 1) progress.update(i, 100)
    progress.done()
    expect(lines).toHaveLength(11)
    expect(lines.at(-1)).toBe('loading 100% (100/100)\n')
  })

  test('args: on a TTY the line is rewritten in place, at most 10 times a second', () => {
    const writes: string[] = []
    let now = 0
    const progress = createProgress(
      'sweeping',
      {
        write: (t: string) => writes.push(t),
        isTTY: true,
      } as unknown as NodeJS.WritableStream,
      () => now,
    )
    progress.update(1, 4)
    progress.update(2, 4) // same instant: skipped
    now = 200
    progress.update(3, 4)
    progress.update(4, 4) // the last one is always shown
    progress.done()
    expect(writes).toEqual([
      '\rsweeping 25% (1/4)\x1b[K',
      '\rsweeping 75% (3/4)\x1b[K',
      '\rsweeping 100% (4/4)\x1b[K',
      '\n',
    ])
  })
})
