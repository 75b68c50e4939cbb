import { Writable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { guardStream } from './io.js'

/** A writable that fails every write like a pipe whose reader is gone. */
function brokenPipe() {
  const written: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString())
      callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))
    },
  })
  return { stream, written }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('guardStream', () => {
  test('default: passes text, isTTY and columns through', () => {
    const written: string[] = []
    const raw = Object.assign(
      new Writable({
        write(chunk: Buffer, _e, cb) {
          written.push(chunk.toString())
          cb()
        },
      }),
      { isTTY: true, columns: 120 },
    )
    const out = guardStream(raw)
    out.write('a\n')
    expect(written).toEqual(['a\n'])
    expect(out.isTTY).toBe(true)
    expect(out.columns).toBe(120)
    expect(out.closed).toBe(false)
  })

  test('behavior: a write error (EPIPE) is absorbed and nothing more is written', async () => {
    const { stream, written } = brokenPipe()
    const out = guardStream(stream)
    out.write('first\n')
    // Unguarded, this 'error' event is unhandled and ends the process.
    await tick()
    expect(out.closed).toBe(true)
    expect(out.write('second\n')).toBe(false)
    await tick()
    expect(written).toEqual(['first\n'])
  })

  test('behavior: a write that throws is absorbed', () => {
    const out = guardStream({
      write: () => {
        throw Object.assign(new Error('write EIO'), { code: 'EIO' })
      },
      on: () => undefined,
    } as unknown as NodeJS.WritableStream)
    expect(() => out.write('x')).not.toThrow()
    expect(out.closed).toBe(true)
  })

  test('behavior: guarding the same stream twice adds one listener', () => {
    const { stream } = brokenPipe()
    expect(guardStream(stream)).toBe(guardStream(stream))
    expect(stream.listenerCount('error')).toBe(1)
  })
})
