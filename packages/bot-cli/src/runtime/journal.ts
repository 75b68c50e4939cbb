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
 * journal stays small across cycles; what it replaces is first appended to
 * the archive beside it (`journal.archive.jsonl`), so the whole record of
 * the data directory (every event and note since the first start) stays on
 * disk and the trade history can be rebuilt from it.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { ExitError } from '../errors.js'
import { ensureOwnerOnlyDir, openOwnerOnly } from '../ownerOnly.js'

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
  | {
      /**
       * A fact of the bot's own that is no strategy event (a session began
       * or ended, a leftover balance was sold): ignored by the replay, read
       * by the history rebuild.
       */
      type: 'note'
      /** Line number, from 1. */
      seq: number
      /** Wall time in ms. */
      at: number
      /** The note. */
      note: unknown
    }

/** What {@link openJournal} found on disk. */
export interface JournalReplay {
  /** The last snapshot's state, or `undefined` for a fresh journal. */
  snapshot: unknown
  /** Events after that snapshot, oldest first. */
  events: unknown[]
  /** Notes after that snapshot, oldest first. */
  notes: unknown[]
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
  /** Appends a note (not replayed into the strategy) and fsyncs. */
  appendNote(note: unknown, at: number): void
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
  let notes: unknown[] = []
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
      notes = []
    } else if (entry.type === 'event') {
      events.push(entry.event)
    } else if (entry.type === 'note') {
      notes.push(entry.note)
    }
  })
  return { snapshot, events, notes, tornTail }
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
    appendNote(note, at) {
      seq += 1
      write({ type: 'note', seq, at, note })
    },
    compact(state, at) {
      closeSync(fd)
      archive(path)
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

/** The archive file of a journal: `journal.jsonl` -> `journal.archive.jsonl`. */
export function archivePath(path: string): string {
  return path.endsWith('.jsonl')
    ? `${path.slice(0, -'.jsonl'.length)}.archive.jsonl`
    : `${path}.archive`
}

/**
 * Appends the journal's lines to its archive (fsynced) before they are
 * replaced. A crash after the append and before the replacement archives the
 * same lines again at the next compaction: readers treat the archive as a
 * log of segments, each starting at its snapshot, and rebuild idempotently.
 */
function archive(path: string): void {
  if (!existsSync(path)) return
  const text = readFileSync(path, 'utf8')
  if (text === '') return
  const fd = openOwnerOnly(archivePath(path), 'a')
  try {
    writeSync(fd, text.endsWith('\n') ? text : `${text}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Moves a journal into its archive and deletes it: the next open starts a
 * fresh journal, and nothing it held is lost (paper mode, whose simulator
 * and account are new at every start).
 *
 * @param path - The journal file.
 */
export function retireJournal(path: string): void {
  archive(path)
  rmSync(path, { force: true })
}

/** One line of a journal or its archive, for a history rebuild. */
export type JournalLine = JournalEntry

/**
 * Reads every line of a journal's archive, then of the journal itself, in
 * order: the whole record of the data directory. Lines that do not parse
 * (a torn append) are skipped and counted.
 *
 * @param path - The journal file (its archive is found beside it).
 * @returns The lines, oldest first, and the number skipped.
 */
export function readJournalRecord(path: string): {
  lines: JournalLine[]
  skipped: number
} {
  const lines: JournalLine[] = []
  let skipped = 0
  for (const file of [archivePath(path), path]) {
    if (!existsSync(file)) continue
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line === '') continue
      try {
        lines.push(JSON.parse(line) as JournalLine)
      } catch {
        skipped++
      }
    }
  }
  return { lines, skipped }
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
