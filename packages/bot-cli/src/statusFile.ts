/**
 * `<dataDir>/status.json`: the running bot's latest status, rewritten
 * atomically (temp file + rename) at most once a second, read by
 * `rung status` from another process.
 */
import { readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { writeOwnerOnlyFile } from './ownerOnly.js'
import type { StatusSnapshot } from './statusView.js'

/** The status file's name inside the data directory. */
export const STATUS_FILE = 'status.json'

/** What the status file holds. */
export interface StatusFileContent extends StatusSnapshot {
  /** Pid of the bot that wrote it. */
  pid: number
  /** Wall time of the write, ISO-8601. */
  updatedAt: string
  /**
   * The token of the bot's pid file (`rung.pid`): `rung stop` compares them
   * to confirm the pid is this bot where the process table cannot tell.
   */
  lockToken?: string | undefined
}

/** Writes the status file atomically, mode 0600. */
export function writeStatusFile(
  dataDir: string,
  content: StatusFileContent,
): void {
  const path = join(dataDir, STATUS_FILE)
  writeOwnerOnlyFile(`${path}.tmp`, `${JSON.stringify(content, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}

/** Reads the status file, or undefined when there is none (or it is unreadable). */
export function readStatusFile(dataDir: string): StatusFileContent | undefined {
  try {
    return JSON.parse(
      readFileSync(join(dataDir, STATUS_FILE), 'utf8'),
    ) as StatusFileContent
  } catch {
    return undefined
  }
}
