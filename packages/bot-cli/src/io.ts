/**
 * The process-level I/O a command receives, injected so commands can run
 * in-process in tests with captured output and a fake environment.
 */

/** A writable text stream, optionally a TTY. */
export interface OutStream {
  /** Writes text. */
  write(text: string): unknown
  /** True when the stream is an interactive terminal. */
  isTTY?: boolean | undefined
  /** Terminal width in columns, when a TTY. */
  columns?: number | undefined
}

/** What `main()` uses from the outside world. */
export interface CliIo {
  /** Standard output (results, the status view). */
  stdout: OutStream
  /** Standard error (log lines, progress, errors). */
  stderr: OutStream
  /** Environment variables. */
  env: Record<string, string | undefined>
  /** Working directory for relative paths. */
  cwd: string
  /**
   * Subscribes to stop signals (SIGINT/SIGTERM); returns an unsubscribe function.
   * @default process.on('SIGINT'|'SIGTERM')
   */
  onSignal: (handler: (signal: string) => void) => () => void
}

/** An {@link OutStream} that survives its reader going away. */
export interface GuardedStream extends OutStream {
  /** True once a write failed (EPIPE, EIO...): nothing more is written to it. */
  readonly closed: boolean
}

/** What {@link guardStream} needs from a stream. */
type RawStream = Pick<NodeJS.WritableStream, 'write' | 'on'> & {
  isTTY?: boolean | undefined
  columns?: number | undefined
}

const guarded = new WeakMap<object, GuardedStream>()

/**
 * Wraps a process stream so that a closed reader never crashes the process:
 * `rung run | head -1`, or a `tee` killed by Ctrl-C, makes the next write
 * fail with EPIPE, which Node reports as an `'error'` event that ends the
 * process when nobody listens. Here the first write error (emitted or
 * thrown) marks the stream closed and every later write is dropped; the
 * bot's log files keep everything. Guarding a stream twice returns the same
 * wrapper (one listener).
 *
 * @param stream - `process.stdout`, `process.stderr` or any writable.
 * @returns A stream whose `write` never throws and never fails the process.
 * @example
 * ```ts
 * const out = guardStream(process.stdout)
 * out.write('safe even when the pipe is gone\n')
 * ```
 */
export function guardStream(stream: RawStream): GuardedStream {
  const known = guarded.get(stream)
  if (known) return known
  let closed = false
  stream.on('error', () => {
    closed = true
  })
  const out: GuardedStream = {
    write(text: string) {
      if (closed) return false
      try {
        return stream.write(text)
      } catch {
        closed = true
        return false
      }
    },
    get isTTY() {
      return stream.isTTY
    },
    get columns() {
      return stream.columns
    },
    get closed() {
      return closed
    },
  }
  guarded.set(stream, out)
  return out
}

/**
 * The real process's I/O: stdout, stderr, env, cwd and SIGINT/SIGTERM.
 * stdout and stderr are guarded (`guardStream`): when their reader
 * goes away the bot carries on (and stops cleanly on a signal), writing only
 * to its log files.
 *
 * @returns The I/O `main` uses by default.
 * @example
 * ```ts
 * import { main, processIo } from '@rung/bot-cli'
 * process.exitCode = await main(['status'], processIo())
 * ```
 */
export function processIo(): CliIo {
  return {
    stdout: guardStream(process.stdout),
    stderr: guardStream(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    onSignal(handler) {
      let current: ((signal: string) => void) | undefined = handler
      const listener = (signal: NodeJS.Signals) => {
        if (current) current(signal)
        // The bot has already finished: a late signal (npm forwards Ctrl-C to
        // its child a second time) ends the process with the bot's own code.
        else process.exit()
      }
      process.on('SIGINT', listener)
      process.on('SIGTERM', listener)
      return () => {
        current = undefined
      }
    },
  }
}
