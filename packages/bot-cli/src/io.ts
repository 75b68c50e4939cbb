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

/**
 * The real process's I/O: stdout, stderr, env, cwd and SIGINT/SIGTERM.
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
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onSignal(handler) {
      let current: ((signal: string) => void) | undefined = handler
      const listener = (signal: NodeJS.Signals) => {
        if (current) current(signal)
        // The bot has already finished: a late signal (tsx relays Ctrl-C to
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
