/**
 * One bot per data directory: `<dataDir>/rung.pid` is created exclusively
 * (`wx`). Its first line is the pid (for tools that only want that); the
 * second line is a JSON record that lets `rung stop` and `rung status` check
 * that the pid still belongs to the bot that wrote the file, not to some
 * other process that was given the same pid after the bot died:
 *
 * - `token`: random, also written into `status.json` by the running bot;
 * - `startTime`: the process start time (Linux: field 22 of
 *   `/proc/<pid>/stat`, clock ticks since boot), which changes when a pid is
 *   reused;
 * - `cmdline`: a SHA-256 of the process's command line (Linux:
 *   `/proc/<pid>/cmdline`; hashed so the file never repeats an argument).
 *
 * The file is 0600 and the data directory 0700 (see `ownerOnly.ts`).
 *
 * On Linux the live process's start time and command line must match the
 * record. Elsewhere the record's token must match the one in `status.json`
 * with the same pid. A pid file whose process is gone, or whose pid now
 * belongs to another process, is stale: a new bot takes it over, and
 * `rung stop` refuses to signal it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EXIT, ExitError } from '../errors.js'
import { ensureOwnerOnlyDir, OWNER_ONLY_FILE_MODE } from '../ownerOnly.js'
import { readStatusFile } from './statusFile.js'

/** The pid file's name inside the data directory. */
export const PID_FILE = 'rung.pid'

/** A held lock. */
export interface PidLock {
  /** Path of the pid file. */
  readonly path: string
  /** The random token recorded in the pid file (and written to status.json). */
  readonly token: string
  /** Removes the pid file if it is still ours. */
  release(): void
}

/** What the pid file records about the bot that wrote it. */
export interface LockRecord {
  /** Process id. */
  pid: number
  /** Random token, repeated in `status.json`; absent in old pid files. */
  token?: string | undefined
  /** Process start time (Linux clock ticks since boot), when known. */
  startTime?: string | undefined
  /** SHA-256 (hex) of the process's command line, when known. */
  cmdline?: string | undefined
}

/** How the pid file relates to a running process. */
export type LockOwner =
  | { state: 'none'; path: string }
  | { state: 'running'; path: string; pid: number }
  | { state: 'stale'; path: string; pid: number; why: string }
  | { state: 'unverified'; path: string; pid: number; why: string }

/** Where to read process facts from (injected in tests). */
export interface ProcessProbe {
  /** True when a process with this pid exists. */
  isAlive(pid: number): boolean
  /** The process start time, or undefined where it cannot be read. */
  startTime(pid: number): string | undefined
  /** The process command line, or undefined where it cannot be read. */
  cmdline(pid: number): string[] | undefined
}

/** True when a process with this pid exists (signal 0 probes without killing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Start time from `/proc/<pid>/stat` (Linux), or undefined. */
function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields after the name start at field 3; starttime is field 22.
    const start = fields[22 - 3]
    return start !== undefined && /^\d+$/.test(start) ? start : undefined
  } catch {
    return undefined
  }
}

/** Command line from `/proc/<pid>/cmdline` (Linux), or undefined. */
function procCmdline(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return text.split('\0').filter((part) => part !== '')
  } catch {
    return undefined
  }
}

/** The real process table. */
export const systemProbe: ProcessProbe = {
  isAlive,
  startTime: procStartTime,
  cmdline: procCmdline,
}

/** Reads `<dataDir>/rung.pid`, or undefined when absent or unreadable. */
export function readLockRecord(dataDir: string): LockRecord | undefined {
  let text: string
  try {
    text = readFileSync(join(dataDir, PID_FILE), 'utf8')
  } catch {
    return undefined
  }
  const [first = '', second = ''] = text.split('\n')
  const pid = Number.parseInt(first.trim(), 10)
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined
  try {
    const extra = JSON.parse(second) as Partial<LockRecord>
    return {
      pid,
      token: typeof extra.token === 'string' ? extra.token : undefined,
      startTime:
        typeof extra.startTime === 'string' ? extra.startTime : undefined,
      cmdline: typeof extra.cmdline === 'string' ? extra.cmdline : undefined,
    }
  } catch {
    // A pid-only file (written by an older version).
    return { pid }
  }
}

/** SHA-256 (hex) of a command line, NUL-separated as in /proc. */
export const hashCmdline = (cmdline: readonly string[]): string =>
  createHash('sha256').update(cmdline.join('\0')).digest('hex')

/**
 * Checks whether the pid in `<dataDir>/rung.pid` is the rung bot that wrote
 * it, still running.
 *
 * @returns `none` (no pid file), `running`, `stale` (the process is gone or
 *   the pid now belongs to another process) or `unverified` (a live process
 *   that cannot be confirmed either way).
 */
export function checkLockOwner(
  dataDir: string,
  probe: ProcessProbe = systemProbe,
): LockOwner {
  const path = join(dataDir, PID_FILE)
  const record = readLockRecord(dataDir)
  if (record === undefined) return { state: 'none', path }
  const { pid } = record
  if (!probe.isAlive(pid))
    return { state: 'stale', path, pid, why: `no process has pid ${pid}` }
  const startTime = probe.startTime(pid)
  const cmdline = probe.cmdline(pid)
  if (startTime !== undefined && record.startTime !== undefined) {
    if (startTime !== record.startTime)
      return {
        state: 'stale',
        path,
        pid,
        why: `pid ${pid} now belongs to another process (it started after the bot that wrote the file)`,
      }
    if (cmdline !== undefined && record.cmdline !== undefined) {
      if (hashCmdline(cmdline) !== record.cmdline)
        return {
          state: 'stale',
          path,
          pid,
          why: `pid ${pid} now runs \`${cmdline.join(' ').slice(0, 120)}\`, not the rung bot that wrote the file`,
        }
      return { state: 'running', path, pid }
    }
  }
  // No process table to compare with (not Linux), or an old pid file: the
  // running bot repeats its token in status.json.
  const status = readStatusFile(dataDir)
  if (
    record.token !== undefined &&
    status?.lockToken === record.token &&
    status.pid === pid
  )
    return { state: 'running', path, pid }
  return {
    state: 'unverified',
    path,
    pid,
    why:
      record.token === undefined
        ? `pid ${pid} is alive, but the pid file (from an older version) does not say which process wrote it`
        : `pid ${pid} is alive, but status.json does not carry the pid file's token`,
  }
}

/** The pid of the rung bot running on `dataDir`, or `undefined` when none is (verified with {@link checkLockOwner}). */
export function readRunningPid(
  dataDir: string,
  probe: ProcessProbe = systemProbe,
): number | undefined {
  const owner = checkLockOwner(dataDir, probe)
  return owner.state === 'running' ? owner.pid : undefined
}

/**
 * Takes the data directory's lock.
 * @param dataDir - The data directory.
 * @param pid - The owner's pid (the current process unless testing).
 * @param probe - Process facts (the real process table unless testing).
 * @throws {ExitError} when another live bot holds it.
 */
export function acquireLock(
  dataDir: string,
  pid = process.pid,
  probe: ProcessProbe = systemProbe,
): PidLock {
  // The data directory is made (or tightened to) 0700 here, before the
  // first file of a run is written in it.
  ensureOwnerOnlyDir(dataDir)
  const path = join(dataDir, PID_FILE)
  const token = randomBytes(16).toString('hex')
  const cmdline = probe.cmdline(pid)
  const record = {
    token,
    startTime: probe.startTime(pid),
    cmdline: cmdline === undefined ? undefined : hashCmdline(cmdline),
  }
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, `${pid}\n${JSON.stringify(record)}\n`, {
        flag: 'wx',
        mode: OWNER_ONLY_FILE_MODE,
      })
      return {
        path,
        token,
        release() {
          if (readLockRecord(dataDir)?.token === token)
            rmSync(path, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = checkLockOwner(dataDir, probe)
      if (owner.state === 'running') {
        throw new ExitError(
          EXIT.locked,
          `Another rung bot (pid ${owner.pid}) is already running on the data directory ${dataDir}.\nFix: stop it with \`rung stop --data-dir ${dataDir}\`, or give this bot its own --data-dir.`,
        )
      }
      if (owner.state === 'unverified') {
        throw new ExitError(
          EXIT.locked,
          `The data directory ${dataDir} is locked by pid ${owner.pid}, which may be a rung bot: ${owner.why}.\nFix: if pid ${owner.pid} is a rung bot, stop it; if it is not, delete ${owner.path}; or give this bot its own --data-dir.`,
        )
      }
      // Stale (the process died without cleaning up, or its pid was reused):
      // take it over.
      rmSync(path, { force: true })
    }
  }
  throw new ExitError(
    EXIT.locked,
    `Could not take the lock ${path}.\nFix: remove the file if no rung bot is running.`,
  )
}
