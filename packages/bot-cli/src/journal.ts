/**
 * The write-ahead journal: one JSON object a line under the data directory.
 *
 *   event arrives ─► append {type:'event'} + fsync ─► step() ─► execute commands
 *
 * Because `step` is pure and client ids are derived from the config, replaying
 * the journalled events reproduces the exact state and the exact commands
 * (with the same client ids) that were in flight at a crash. The executor then
 * reconciles with the exchange by client id instead of blindly re-sending.
 * `compact()` replaces the file by one snapshot line (atomic rename), so the
 * journal stays small across cycles.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { ExitError } from './errors.js'
import { ensureOwnerOnlyDir, openOwnerOnly } from './ownerOnly.js'

/** A line of the journal. `seq` increases by one per line. */
export type JournalEntry =
  | {
      /** A full strategy state: replay starts from the last snapshot. */
      type: 'snapshot'
      /** Line number, from 1. */
      seq: number
      /** Wall time in ms. */
      at: number
      /** The JSON-serialisable strategy state. */
      state: unknown
    }
  | {
      /** A strategy event, written before the commands it produces run. */
      type: 'event'
      /** Line number, from 1. */
      seq: number
      /** Wall time in ms. */
      at: number
      /** The event exactly as given to `step`. */
      event: unknown
    }

/** What {@link openJournal} found on disk. */
export interface JournalReplay {
  /** The last snapshot's state, or `undefined` for a fresh journal. */
  snapshot: unknown
  /** Events after that snapshot, oldest first. */
  events: unknown[]
  /** True when a torn last line (a crash mid-write) was dropped. */
  tornTail: boolean
}

/** An open journal. */
export interface Journal {
  /** The file path. */
  readonly path: string
  /** What was on disk when the journal was opened. */
  readonly replay: JournalReplay
  /** Appends an event and fsyncs before returning. */
  appendEvent(event: unknown, at: number): void
  /** Atomically replaces the journal by a single snapshot line. */
  compact(state: unknown, at: number): void
  /** Closes the file. */
  close(): void
}

/** Parses journal text; exported for tests. */
export function parseJournal(text: string, path: string): JournalReplay {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  let snapshot: unknown
  let events: unknown[] = []
  let tornTail = false
  lines.forEach((line, index) => {
    let entry: JournalEntry
    try {
      entry = JSON.parse(line) as JournalEntry
    } catch (cause) {
      if (index === lines.length - 1) {
        // A crash between write() and fsync() can leave half a line at the
        // end; that event never produced an action, so dropping it is safe.
        tornTail = true
        return
      }
      throw new ExitError(
        1,
        `The journal ${path} is corrupt at line ${index + 1}.\nFix: inspect the file; move it away to start fresh (open orders are then found by client id on the exchange).`,
        { cause },
      )
    }
    if (entry.type === 'snapshot') {
      snapshot = entry.state
      events = []
    } else if (entry.type === 'event') {
      events.push(entry.event)
    }
  })
  return { snapshot, events, tornTail }
}

/**
 * Opens (or creates) the journal at `path` and reads what it holds. A torn
 * last line (a crash during a write) is dropped and the file repaired. The
 * journal is 0600 and its directory 0700 (tightened if an older version
 * left them open).
 *
 * @param path - The journal file, e.g. `<dataDir>/journal.jsonl`.
 * @returns The open journal, with `replay` holding the last snapshot and the events after it.
 * @throws {ExitError} when a line other than the last is corrupt.
 * @example
 * ```ts
 * import { openJournal } from '@rung/bot-cli'
 * const journal = openJournal('.rung/journal.jsonl')
 * console.log(journal.replay.events.length)
 * journal.appendEvent({ type: 'started', at: Date.now() }, Date.now()) // fsynced
 * journal.close()
 * ```
 */
export function openJournal(path: string): Journal {
  ensureOwnerOnlyDir(dirname(path))
  const text = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const replay = parseJournal(text, path)
  const lines = text.split('\n').filter((line) => line !== '')
  if (replay.tornTail || (text !== '' && !text.endsWith('\n'))) {
    // Rewrite without the torn line so later appends start on a clean line.
    if (replay.tornTail) lines.pop()
    writeAtomic(path, lines.length === 0 ? '' : `${lines.join('\n')}\n`)
  }
  let seq = lines.length
  let fd = openOwnerOnly(path, 'a')

  const write = (entry: JournalEntry) => {
    writeSync(fd, `${JSON.stringify(entry)}\n`)
    fsyncSync(fd)
  }
  return {
    path,
    replay,
    appendEvent(event, at) {
      seq += 1
      write({ type: 'event', seq, at, event })
    },
    compact(state, at) {
      closeSync(fd)
      seq = 1
      writeAtomic(
        path,
        `${JSON.stringify({ type: 'snapshot', seq, at, state } satisfies JournalEntry)}\n`,
      )
      fd = openOwnerOnly(path, 'a')
    },
    close() {
      closeSync(fd)
    },
  }
}

/** Writes a file via a temporary sibling, fsync and rename. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`
  const fd = openOwnerOnly(tmp, 'w')
  writeSync(fd, text)
  fsyncSync(fd)
  closeSync(fd)
  renameSync(tmp, path)
  // fsync the directory so the rename itself survives a power cut.
  try {
    const dirFd = openSync(dirname(path), 'r')
    fsyncSync(dirFd)
    closeSync(dirFd)
  } catch {
    // Not supported on every platform (Windows); the rename is still atomic.
  }
}
