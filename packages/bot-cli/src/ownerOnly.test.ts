import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ConfigError } from './errors.js'
import {
  checkOwnerOnly,
  ensureOwnerOnlyDir,
  ensureOwnerOnlyFile,
  openOwnerOnly,
  writeOwnerOnlyFile,
} from './ownerOnly.js'

const modeOf = (path: string) => statSync(path).mode & 0o777
const tempDir = () => mkdtempSync(join(tmpdir(), 'rung-modes-'))
const posix = process.platform !== 'win32'

describe.runIf(posix)('ensureOwnerOnlyDir', () => {
  test('default: creates the directory and its missing parents 0700', () => {
    const root = tempDir()
    ensureOwnerOnlyDir(join(root, 'a', 'b'))
    expect(modeOf(join(root, 'a'))).toBe(0o700)
    expect(modeOf(join(root, 'a', 'b'))).toBe(0o700)
  })

  test('behavior: an existing directory open to others is tightened to 0700', () => {
    const dir = join(tempDir(), 'old')
    mkdirSync(dir)
    chmodSync(dir, 0o755)
    ensureOwnerOnlyDir(dir)
    expect(modeOf(dir)).toBe(0o700)
  })
})

describe.runIf(posix)('ensureOwnerOnlyFile', () => {
  test('default: creates an empty file 0600 (for a database that opens it next)', () => {
    const path = join(tempDir(), 'history.sqlite')
    ensureOwnerOnlyFile(path)
    expect(modeOf(path)).toBe(0o600)
    expect(readFileSync(path, 'utf8')).toBe('')
  })

  test('behavior: an existing file keeps its content and loses group and other bits', () => {
    const path = join(tempDir(), 'old.log')
    writeFileSync(path, 'kept\n')
    chmodSync(path, 0o664)
    ensureOwnerOnlyFile(path)
    expect(modeOf(path)).toBe(0o600)
    expect(readFileSync(path, 'utf8')).toBe('kept\n')
  })
})

describe.runIf(posix)('openOwnerOnly', () => {
  test('behavior: a new file is 0600 and a looser existing one is tightened', () => {
    const dir = tempDir()
    const fresh = join(dir, 'new.jsonl')
    closeSync(openOwnerOnly(fresh, 'a'))
    expect(modeOf(fresh)).toBe(0o600)
    const old = join(dir, 'old.jsonl')
    writeFileSync(old, 'a\n')
    chmodSync(old, 0o644)
    const fd = openOwnerOnly(old, 'a')
    writeSync(fd, 'b\n')
    closeSync(fd)
    expect(modeOf(old)).toBe(0o600)
    expect(readFileSync(old, 'utf8')).toBe('a\nb\n')
  })
})

describe.runIf(posix)('writeOwnerOnlyFile', () => {
  test('behavior: writes 0600, also over a looser existing file', () => {
    const path = join(tempDir(), 'status.json.tmp')
    writeFileSync(path, 'old')
    chmodSync(path, 0o666)
    writeOwnerOnlyFile(path, 'new')
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(modeOf(path)).toBe(0o600)
  })
})

describe('checkOwnerOnly', () => {
  test('default: 0600, 0400 and 0700 pass', () => {
    for (const mode of [0o600, 0o400, 0o700, 0o200])
      expect(() =>
        checkOwnerOnly({
          path: '/k',
          mode,
          what: 'the key file',
          field: 'keyFile',
        }),
      ).not.toThrow()
  })

  test('error: any group or other bit is refused, naming the file, its mode and the chmod fix', () => {
    for (const mode of [
      0o620, 0o602, 0o640, 0o604, 0o610, 0o601, 0o644, 0o660,
    ]) {
      let error: unknown
      try {
        checkOwnerOnly({
          path: '/k.json',
          mode,
          what: 'the key file',
          field: 'keyFile',
        })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(ConfigError)
      const text = mode.toString(8).padStart(4, '0')
      expect((error as ConfigError).message).toBe(
        `Refusing to use the key file /k.json: its mode is ${text}, so other users can read or change it.\nFix: \`chmod 600 /k.json\`.`,
      )
      expect((error as ConfigError).exitCode).toBe(2)
    }
  })
})
