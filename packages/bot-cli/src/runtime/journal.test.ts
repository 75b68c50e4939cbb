import {
  appendFileSync,
  chmodSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  afterWriteAhead,
  archivePath,
  openJournal,
  parseJournal,
  readJournalRecord,
  retireJournal,
  writeAheadDone,
} from './journal.js'

const fresh = () =>
  join(mkdtempSync(join(tmpdir(), 'rung-journal-')), 'journal.jsonl')

describe('openJournal', () => {
  test('default: a new journal replays nothing', () => {
    const journal = openJournal(fresh())
    expect(journal.replay).toEqual({
      snapshot: undefined,
      events: [],
      notes: [],
      tornTail: false,
    })
    journal.close()
  })

  test('behavior: events survive a reopen, after the last snapshot', () => {
    const path = fresh()
    const a = openJournal(path)
    a.appendEvent({ type: 'started' }, 1)
    a.compact({ status: 'laddering' }, 2)
    a.appendEvent({ type: 'orderFilled', clientId: 7 }, 3)
    a.close()
    const b = openJournal(path)
    expect(b.replay).toEqual({
      snapshot: { status: 'laddering' },
      events: [{ type: 'orderFilled', clientId: 7 }],
      notes: [],
      tornTail: false,
    })
    b.appendEvent({ type: 'x' }, 4)
    b.close()
    const seqs = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).seq)
    expect(seqs).toEqual([1, 2, 3])
  })

  test.skipIf(process.platform === 'win32')(
    'behavior: the journal is 0600 when created, compacted or reopened after an older version',
    () => {
      const path = join(
        mkdtempSync(join(tmpdir(), 'rung-journal-')),
        'data',
        'journal.jsonl',
      )
      const mode = () => statSync(path).mode & 0o777
      const a = openJournal(path)
      expect(mode()).toBe(0o600)
      expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700)
      a.appendEvent({ type: 'started' }, 1)
      a.compact({ status: 'laddering' }, 2)
      expect(mode()).toBe(0o600)
      a.close()
      chmodSync(path, 0o644)
      openJournal(path).close()
      expect(mode()).toBe(0o600)
    },
  )

  test('behavior: a torn last line (crash mid-write) is dropped and the file repaired', () => {
    const path = fresh()
    const a = openJournal(path)
    a.appendEvent({ type: 'started' }, 1)
    a.close()
    appendFileSync(path, '{"type":"event","seq":2,"at":2,"ev')
    const b = openJournal(path)
    expect(b.replay.tornTail).toBe(true)
    expect(b.replay.events).toEqual([{ type: 'started' }])
    b.appendEvent({ type: 'next' }, 3)
    b.close()
    expect(openJournal(path).replay.events).toEqual([
      { type: 'started' },
      { type: 'next' },
    ])
  })

  test('behavior: compaction archives what it replaces; the record reads archive then journal', () => {
    const path = fresh()
    const a = openJournal(path)
    a.appendNote({ kind: 'sessionStarted', id: 's1' }, 1)
    a.compact({ n: 1 }, 2)
    a.appendEvent({ type: 'started' }, 3)
    a.appendNote({ kind: 'sessionEnded', id: 's1' }, 4)
    a.compact({ n: 2 }, 5)
    a.appendEvent({ type: 'priceUpdated' }, 6)
    a.close()
    // The replay starts at the last snapshot; notes are kept apart from events.
    const b = openJournal(path)
    expect(b.replay).toEqual({
      snapshot: { n: 2 },
      events: [{ type: 'priceUpdated' }],
      notes: [],
      tornTail: false,
    })
    b.close()
    const kinds = (lines: { type: string }[]) => lines.map((l) => l.type)
    expect(kinds(readJournalRecord(path).lines)).toEqual([
      'note',
      'snapshot',
      'event',
      'note',
      'snapshot',
      'event',
    ])
    // Retiring moves the rest to the archive: nothing is lost.
    retireJournal(path)
    expect(openJournal(path).replay.snapshot).toBeUndefined()
    expect(readJournalRecord(path).lines).toHaveLength(6)
    expect(readFileSync(archivePath(path), 'utf8').split('\n')).toHaveLength(7)
  })

  test('behavior: a torn line in the archive is skipped and counted', () => {
    const path = fresh()
    writeFileSync(
      archivePath(path),
      '{"type":"event","seq":1,"at":1,"event":{}}\n{"type":"ev\n{"type":"snapshot","seq":1,"at":2,"state":{}}\n',
    )
    const { lines, skipped } = readJournalRecord(path)
    expect(lines.map((l) => l.type)).toEqual(['event', 'snapshot'])
    expect(skipped).toBe(1)
  })

  test('error: a corrupt line in the middle is reported with its number', () => {
    const path = fresh()
    writeFileSync(
      path,
      '{"type":"event","seq":1,"at":1,"event":{}}\nnot json\n{"type":"event","seq":3,"at":1,"event":{}}\n',
    )
    expect(() => parseJournal(readFileSync(path, 'utf8'), path)).toThrow(
      /corrupt at line 2/,
    )
  })
})

describe('write-ahead with the fsync on the thread pool', () => {
  test('behavior: appendEventAhead writes the line at once and resolves when it is on disk; writeAheadDone holds it meanwhile', async () => {
    const path = fresh()
    const journal = openJournal(path)
    expect(writeAheadDone()).toBeUndefined()
    const durable = journal.appendEventAhead({ type: 'orderFilled' }, 1)
    // Written before the fsync ends: a kill now still leaves the line.
    expect(readFileSync(path, 'utf8')).toContain('"orderFilled"')
    const done = writeAheadDone()
    expect(done).toBeInstanceOf(Promise)
    await durable
    await done
    expect(writeAheadDone()).toBeUndefined()
    // A compaction and a close right after an ahead append lose nothing.
    void journal.appendEventAhead({ type: 'x' }, 2)
    journal.compact({ status: 'laddering' }, 3)
    journal.appendEvent({ type: 'y' }, 4)
    journal.close()
    await writeAheadDone()
    expect(openJournal(path).replay).toMatchObject({
      snapshot: { status: 'laddering' },
      events: [{ type: 'y' }],
    })
    expect(readFileSync(archivePath(path), 'utf8')).toContain('"x"')
  })

  test('behavior: afterWriteAhead sends nothing before the fsyncs in flight have ended', async () => {
    const journal = openJournal(fresh())
    const order: string[] = []
    const send = afterWriteAhead(async (input) => {
      order.push(`sent ${input}`)
      return { status: 200, headers: { get: () => null }, text: async () => '' }
    })
    // Nothing in flight: sent at once, in the same turn.
    void send('/a', { method: 'GET', headers: {}, signal: AbortSignal.any([]) })
    expect(order).toEqual(['sent /a'])
    const durable = journal
      .appendEventAhead({ type: 'priceUpdated' }, 1)
      .then(() => order.push('on disk'))
    await send('/b', {
      method: 'POST',
      headers: {},
      signal: AbortSignal.any([]),
    })
    await durable
    expect(order).toEqual(['sent /a', 'on disk', 'sent /b'])
    journal.close()
  })
})
