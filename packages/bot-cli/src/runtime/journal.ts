/**
 * The write-ahead journal: one JSON object a line under the data directory.
 *
 *   event arrives ─► append {type:'event'} + fsync ─► step() ─► execute commands
 *
 * (A step with orders to send appends its event, then builds and signs the
 * requests while the fsync runs on the thread pool; the transport sends
 * them once it has ended: `appendEventAhead`, `afterWriteAhead`.)
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
  fsync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'
import type { FetchFn } from '@rung/backpack-sdk'
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
  /**
   * Appends an event now (a kill after it keeps the line) and fsyncs it on
   * the thread pool: resolves once it is on disk, rejects if the fsync
   * fails. Until then `writeAheadDone()` holds it, so a transport
   * wrapped by `afterWriteAhead` sends nothing before it: the step
   * builds and signs its requests while the disk works.
   */
  appendEventAhead(event: unknown, at: number): Promise<void>
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
  // This journal's fsyncs on the thread pool: its file is closed only once
  // they have ended (a closed descriptor's number can be reused at once).
  const pending = new Set<Promise<void>>()
  const release = (old: number) => {
    if (pending.size === 0) closeSync(old)
    else void Promise.allSettled([...pending]).then(() => closeSync(old))
  }
  return {
    path,
    replay,
    appendEvent(event, at) {
      seq += 1
      write({ type: 'event', seq, at, event })
    },
    appendEventAhead(event, at) {
      seq += 1
      const entry: JournalEntry = { type: 'event', seq, at, event }
      writeSync(fd, `${JSON.stringify(entry)}\n`)
      const on = fd
      const done = new Promise<void>((resolve, reject) => {
        fsync(on, (error) => (error ? reject(error) : resolve()))
      })
      const settled = () => {
        pending.delete(done)
        aheadInFlight.delete(done)
      }
      pending.add(done)
      aheadInFlight.add(done)
      done.then(settled, settled)
      return done
    },
    appendNote(note, at) {
      seq += 1
      write({ type: 'note', seq, at, note })
    },
    compact(state, at) {
      release(fd)
      archive(path)
      seq = 1
      writeAtomic(
        path,
        `${JSON.stringify({ type: 'snapshot', seq, at, state } satisfies JournalEntry)}\n`,
      )
      fd = openOwnerOnly(path, 'a')
    },
    close() {
      release(fd)
    },
  }
}

/** Every journal's fsyncs in flight (`appendEventAhead`), in this process. */
const aheadInFlight = new Set<Promise<void>>()

/**
 * The write-ahead rule across every journal of the process: a promise that
 * resolves once each line appended with `appendEventAhead` so far is on
 * disk (and rejects if one's fsync failed), or `undefined` when none is in
 * flight.
 *
 * @returns The promise, or `undefined`.
 */
export function writeAheadDone(): Promise<void> | undefined {
  if (aheadInFlight.size === 0) return undefined
  return Promise.all([...aheadInFlight]).then(() => undefined)
}

/**
 * Wraps a transport so that no request leaves before the journal lines
 * written so far are on disk ({@link writeAheadDone}): the orders of a step
 * are built and signed while its event is fsynced, and sent after.
 *
 * @param send - The transport (e.g. `createNodeFetch()`).
 * @returns The same transport, held back by the journals' fsyncs.
 */
export function afterWriteAhead(send: FetchFn): FetchFn {
  return (input, init) => {
    const done = writeAheadDone()
    return done === undefined
      ? send(input, init)
      : done.then(() => send(input, init))
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
