import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readStatusFile, STATUS_FILE, writeStatusFile } from './statusFile.js'
import type { StatusSnapshot } from './statusView.js'

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
