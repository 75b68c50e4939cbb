import { type LadderState, step } from '@rung/ladder-strategy'
import { readJournalRecord } from '../journal.js'
import type { JournalNote, JournalSnapshot } from '../loop/botTypes.js'
import { tradeRecords } from '../tradeRecord.js'
import type { HistoryStore } from './historyTypes.js'

/** What {@link rebuildHistory} read. */
export interface RebuildSummary {
  /** Journal lines replayed (snapshots, events, notes). */
  lines: number
  /** Lines that did not parse (torn appends), skipped. */
  skipped: number
  /** Sessions found. */
  sessions: number
}

/**
 * Writes the trade history again from the journal and its archive: every
 * snapshot restarts the replay, every event is stepped through the strategy
 * and its trade records written, every note (sessions, leftover sales) is
 * stored. The result is the history a live run would have written.
 *
 * @param journalPath - The journal (its archive is read first).
 * @param history - The history to clear and fill (one transaction).
 * @returns What was read.
 */
export function rebuildHistory(
  journalPath: string,
  history: HistoryStore,
): RebuildSummary {
  const { lines, skipped } = readJournalRecord(journalPath)
  let sessions = 0
  history.transaction(() => {
    history.clear()
    let state: LadderState | undefined
    let session: string | null = null
    for (const line of lines) {
      if (line.type === 'snapshot') {
        state = (line.state as JournalSnapshot | undefined)?.ladder
      } else if (line.type === 'event') {
        if (state === undefined) continue
        const event = line.event as Parameters<typeof step>[1]
        const [next, commands] = step(state, event)
        history.write(tradeRecords(state, event, next, commands), session)
        state = next
      } else {
        const note = line.note as JournalNote
        if (note.kind === 'sessionStarted') {
          sessions++
          session = note.id
          history.beginSession({
            id: note.id,
            market: note.market,
            mode: note.mode,
            startedAt: line.at,
            resumed: note.resumed,
          })
        } else if (note.kind === 'sessionEnded') {
          history.endSession(note.id, line.at, note.reason)
        } else if (note.kind === 'leftoverSold') {
          history.writeLeftover(note.sale, note.session)
        }
      }
    }
  })
  return { lines: lines.length, skipped, sessions }
}
