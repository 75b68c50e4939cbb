import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import type { StatusSnapshot } from '../ui/statusView.js'
import {
  createStatusWriter,
  readStatusFile,
  STATUS_FILE,
  writeStatusFile,
} from './statusFile.js'

describe('writeStatusFile', () => {
  test.skipIf(process.platform === 'win32')(
    'behavior: the status file is 0600, also over one an older version left open',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'rung-status-'))
      const content = {
        pid: 1,
        updatedAt: '2026-01-01T00:00:00.000Z',
      } as unknown as StatusSnapshot & { pid: number; updatedAt: string }
      // A temp file left by a crash, and an old status file, both 0644.
      writeFileSync(join(dir, `${STATUS_FILE}.tmp`), '')
      chmodSync(join(dir, `${STATUS_FILE}.tmp`), 0o644)
      writeStatusFile(dir, content)
      expect(statSync(join(dir, STATUS_FILE)).mode & 0o777).toBe(0o600)
      expect(readStatusFile(dir)?.pid).toBe(1)
    },
  )
})

describe('createStatusWriter', () => {
  afterEach(() => {
    vi.useRealTimers()
  })
  const status = (status: string, cycles = 0) =>
    ({ status, cycles, pid: 1, updatedAt: '' }) as unknown as Parameters<
      typeof writeStatusFile
    >[1]

  test('behavior: at most one write per interval, and the last change is always written', () => {
    vi.useFakeTimers()
    const dir = mkdtempSync(join(tmpdir(), 'rung-status-'))
    const writer = createStatusWriter(dir, 1000)
    writer.update(status('inPosition'))
    expect(readStatusFile(dir)?.status).toBe('inPosition')
    // Within the interval: not yet written...
    vi.advanceTimersByTime(100)
    writer.update(status('exiting'))
    writer.update(status('starting', 1))
    expect(readStatusFile(dir)?.status).toBe('inPosition')
    // ...but written when it ends, though nothing changes after it.
    vi.advanceTimersByTime(900)
    expect(readStatusFile(dir)).toMatchObject({ status: 'starting', cycles: 1 })
    // A stop is written at once, and close() flushes what is pending.
    writer.update(status('laddering', 1))
    writer.update(status('stopped', 1))
    expect(readStatusFile(dir)?.status).toBe('stopped')
    writer.close()
    vi.advanceTimersByTime(5000)
    expect(readStatusFile(dir)?.status).toBe('stopped')
  })
})
