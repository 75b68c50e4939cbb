/**
 * Progress for long work (loading candles, sweeps). On a TTY one line is
 * rewritten in place at most 10 times a second; otherwise a line is printed
 * at every 10 % so logs stay short.
 */

/** A progress reporter. */
export interface Progress {
  /** Reports `done` of `total` units. */
  update(done: number, total: number): void
  /** Finishes the line. */
  done(): void
}

/** Creates a progress reporter writing to `stream` (stderr by default). */
export function createProgress(
  label: string,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  now: () => number = Date.now,
): Progress {
  let last = Number.NEGATIVE_INFINITY
  let lastDecile = -1
  let shown = false
  return {
    update(done, total) {
      const pct =
        total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0
      if (stream.isTTY) {
        if (now() - last < 100 && done < total) return
        last = now()
        stream.write(`\r${label} ${pct}% (${done}/${total})\x1b[K`)
        shown = true
      } else {
        const decile = Math.floor(pct / 10)
        if (decile === lastDecile) return
        lastDecile = decile
        stream.write(`${label} ${pct}% (${done}/${total})\n`)
      }
    },
    done() {
      if (stream.isTTY && shown) stream.write('\n')
    },
  }
}
