/**
 * Owner-only files and directories: the one place that decides the modes of
 * what the bot writes and of the secret files it reads.
 *
 * - The data directory (and `logs/` in it) is 0700; the journal, the status
 *   file, the pid file and the log files are 0600.
 * - Decision for files and directories left open by an older version (the
 *   pid file was 0644, the rest followed the umask): they are tightened in
 *   place (group and other bits cleared, owner bits kept) when the bot opens
 *   or writes them, so one start of the new version closes them all.
 * - A config file holding `api.privateKey` and a key file are refused unless
 *   they are 0600 or stricter: any group or other bit (read or write) fails,
 *   with the `chmod 600` fix.
 *
 * On Windows, where POSIX modes mean nothing, files are created and nothing
 * is checked or changed.
 */
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  statSync,
  writeSync,
} from 'node:fs'
import { ConfigError, EXIT, ExitError } from './errors.js'

/** True where POSIX permission bits mean something (not on Windows). */
export const HAS_MODES = process.platform !== 'win32'

/** Mode of the files the bot writes. */
export const OWNER_ONLY_FILE_MODE = 0o600

/** Mode of the directories the bot creates. */
export const OWNER_ONLY_DIR_MODE = 0o700

/** The group and other bits: none may be set on an owner-only file. */
const OTHERS = 0o077

/** A mode as four octal digits, e.g. `0644`. */
export const formatMode = (mode: number): string =>
  (mode & 0o777).toString(8).padStart(4, '0')

/** Clears the group and other bits of an existing file or directory. */
function tighten(path: string, mode: number, fd?: number): void {
  if (!HAS_MODES || (mode & OTHERS) === 0) return
  try {
    if (fd === undefined) chmodSync(path, mode & 0o700)
    else fchmodSync(fd, mode & 0o700)
  } catch (cause) {
    throw new ExitError(
      EXIT.usage,
      `Cannot make ${path} private to its owner (its mode is ${formatMode(mode)}): ${(cause as NodeJS.ErrnoException).code ?? 'error'}.\nFix: \`chmod go= ${path}\` as its owner, or use another --data-dir.`,
      { cause },
    )
  }
}

/**
 * Creates a directory (and its missing parents) with mode 0700, or clears
 * the group and other bits of an existing one.
 *
 * @param path - The directory, e.g. the data directory.
 * @throws {ExitError} (exit 2) when an existing directory cannot be tightened.
 * @example
 * ```ts
 * import { ensureOwnerOnlyDir } from './ownerOnly.js'
 * ensureOwnerOnlyDir('.rung')
 * ```
 */
export function ensureOwnerOnlyDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: OWNER_ONLY_DIR_MODE })
  if (HAS_MODES) tighten(path, statSync(path).mode)
}

/**
 * Opens a file with mode 0600 when it is created; an existing file with
 * group or other bits loses them. The caller closes the descriptor.
 *
 * @param path - The file.
 * @param flags - `fs.openSync` flags, e.g. `'a'` or `'w'`.
 * @returns The file descriptor.
 * @throws {ExitError} (exit 2) when an existing file cannot be tightened.
 * @example
 * ```ts
 * import { closeSync, writeSync } from 'node:fs'
 * import { openOwnerOnly } from './ownerOnly.js'
 * const fd = openOwnerOnly('.rung/journal.jsonl', 'a')
 * writeSync(fd, '{}\n')
 * closeSync(fd)
 * ```
 */
export function openOwnerOnly(path: string, flags: string): number {
  const fd = openSync(path, flags, OWNER_ONLY_FILE_MODE)
  try {
    if (HAS_MODES) tighten(path, fstatSync(fd).mode, fd)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  return fd
}

/**
 * Creates an empty file with mode 0600 if it does not exist, and tightens
 * it if it does; the content is kept. Call it before handing the path to
 * code that creates files with its own mode, e.g. SQLite for
 * `<dataDir>/history.sqlite` (SQLite gives its `-wal`, `-shm` and
 * `-journal` files the mode of the database file).
 *
 * @param path - The file.
 * @throws {ExitError} (exit 2) when an existing file cannot be tightened.
 * @example
 * ```ts
 * import { join } from 'node:path'
 * import { ensureOwnerOnlyDir, ensureOwnerOnlyFile } from './ownerOnly.js'
 * ensureOwnerOnlyDir(dataDir)
 * ensureOwnerOnlyFile(join(dataDir, 'history.sqlite')) // then open the database
 * ```
 */
export function ensureOwnerOnlyFile(path: string): void {
  closeSync(openOwnerOnly(path, 'a'))
}

/**
 * Writes (replaces) a file's content, the file being 0600 afterwards.
 *
 * @param path - The file.
 * @param text - The whole new content.
 * @throws {ExitError} (exit 2) when an existing file cannot be tightened.
 * @example
 * ```ts
 * import { writeOwnerOnlyFile } from './ownerOnly.js'
 * writeOwnerOnlyFile('.rung/status.json.tmp', '{}\n')
 * ```
 */
export function writeOwnerOnlyFile(path: string, text: string): void {
  const fd = openOwnerOnly(path, 'w')
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

/** What {@link checkOwnerOnly} checks. */
export interface OwnerOnlyCheck {
  /** The file, as shown in the message and the fix. */
  path: string
  /** Its permission bits, or undefined where modes mean nothing (Windows). */
  mode: number | undefined
  /** How the message names the file, e.g. `the key file`. */
  what: string
  /** What secret it holds, when that is not obvious, e.g. `api.privateKey`. */
  holds?: string | undefined
  /** The field or flag the error is about (`keyFile`, `api.privateKey`). */
  field: string
  /** Said after the `chmod` fix, e.g. `, or move the keys to ...`. */
  alternative?: string | undefined
}

/**
 * Refuses a file holding a secret unless its mode is 0600 or stricter: any
 * group or other bit, read or write (0640, 0620, 0602...), is refused.
 *
 * @param check - The file, its mode and how to name it.
 * @throws {ConfigError} (exit 2) naming the file, its mode and the `chmod 600` fix.
 * @example
 * ```ts
 * import { statSync } from 'node:fs'
 * import { checkOwnerOnly } from './ownerOnly.js'
 * const path = 'keys.json'
 * checkOwnerOnly({ path, mode: statSync(path).mode, what: 'the key file', field: 'keyFile' })
 * ```
 */
export function checkOwnerOnly(check: OwnerOnlyCheck): void {
  const { path, mode, what, holds, field, alternative = '' } = check
  if (mode === undefined || (mode & OTHERS) === 0) return
  throw new ConfigError(
    field,
    `Refusing to use ${what} ${path}${holds ? `, which holds ${holds}` : ''}: its mode is ${formatMode(mode)}, so other users can read or change it.\nFix: \`chmod 600 ${path}\`${alternative}.`,
  )
}
