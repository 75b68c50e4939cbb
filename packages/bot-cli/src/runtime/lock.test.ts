import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ExitError } from '../errors.js'
import {
  acquireLock,
  checkLockOwner,
  hashCmdline,
  PID_FILE,
  type ProcessProbe,
  readLockRecord,
  readRunningPid,
} from './lock.js'
import { STATUS_FILE } from './statusFile.js'

const tempDir = () => mkdtempSync(join(tmpdir(), 'rung-lock-'))

/** A process table with one live process, pid 4242. */
const fakeProbe = (
  facts: { startTime?: string; cmdline?: string[] } = {},
): ProcessProbe => ({
  isAlive: (pid) => pid === 4242,
  startTime: (pid) => (pid === 4242 ? facts.startTime : undefined),
  cmdline: (pid) => (pid === 4242 ? facts.cmdline : undefined),
})
const botFacts = { startTime: '777', cmdline: ['node', 'rung', 'run'] }

describe('acquireLock', () => {
  test('default: writes the pid and a record of the process, and releases it', () => {
    const dir = tempDir()
    const lock = acquireLock(dir)
    const text = readFileSync(join(dir, PID_FILE), 'utf8')
    expect(text.split('\n')[0]).toBe(String(process.pid))
    expect(readLockRecord(dir)?.token).toBe(lock.token)
    expect(lock.token).toMatch(/^[0-9a-f]{32}$/)
    // The command line is recorded as a hash, never as text.
    expect(text).not.toContain(process.argv[1] ?? 'node')
    expect(readRunningPid(dir)).toBe(process.pid)
    lock.release()
    expect(readRunningPid(dir)).toBeUndefined()
  })

  test.skipIf(process.platform === 'win32')(
    'behavior: the pid file is 0600 and the data directory 0700, also one left open by an older version',
    () => {
      const fresh = join(tempDir(), 'data')
      const a = acquireLock(fresh)
      expect(statSync(fresh).mode & 0o777).toBe(0o700)
      expect(statSync(join(fresh, PID_FILE)).mode & 0o777).toBe(0o600)
      a.release()
      const old = join(tempDir(), 'old')
      mkdirSync(old)
      chmodSync(old, 0o755)
      const b = acquireLock(old)
      expect(statSync(old).mode & 0o777).toBe(0o700)
      b.release()
    },
  )

  test('behavior: a stale pid file (dead process) is taken over', () => {
    const dir = tempDir()
    writeFileSync(join(dir, PID_FILE), '2147483646\n')
    acquireLock(dir).release()
  })

  test('behavior: a pid file whose pid now belongs to another process is taken over', () => {
    const dir = tempDir()
    acquireLock(dir, 4242, fakeProbe(botFacts))
    // The bot died; pid 4242 was given to a new process.
    const reused = fakeProbe({ startTime: '999', cmdline: ['sshd'] })
    const lock = acquireLock(dir, process.pid, reused)
    expect(readLockRecord(dir)?.pid).toBe(process.pid)
    lock.release()
  })

  test('error: a live owner refuses a second bot', () => {
    const dir = tempDir()
    const lock = acquireLock(dir)
    // The test runner's parent is alive and is not us.
    expect(() => acquireLock(dir, process.ppid)).toThrow(ExitError)
    expect(() => acquireLock(dir, process.ppid)).toThrow(/rung stop --data-dir/)
    lock.release()
  })

  test('error: an old pid-only file with a live pid is not taken over blindly', () => {
    const dir = tempDir()
    writeFileSync(join(dir, PID_FILE), '4242\n')
    expect(() => acquireLock(dir, process.pid, fakeProbe(botFacts))).toThrow(
      /may be a rung bot/,
    )
  })
})

describe('checkLockOwner', () => {
  test('default: no pid file', () => {
    expect(checkLockOwner(tempDir()).state).toBe('none')
  })

  test('behavior: the process that wrote the file, same start time and command line, is running', () => {
    const dir = tempDir()
    acquireLock(dir, 4242, fakeProbe(botFacts))
    expect(checkLockOwner(dir, fakeProbe(botFacts))).toMatchObject({
      state: 'running',
      pid: 4242,
    })
  })

  test('behavior: a dead pid is stale', () => {
    const dir = tempDir()
    acquireLock(dir, 4242, fakeProbe(botFacts))
    const gone: ProcessProbe = { ...fakeProbe(), isAlive: () => false }
    expect(checkLockOwner(dir, gone)).toMatchObject({
      state: 'stale',
      why: 'no process has pid 4242',
    })
  })

  test('behavior: a reused pid (other start time, or other command line) is stale', () => {
    const dir = tempDir()
    acquireLock(dir, 4242, fakeProbe(botFacts))
    expect(
      checkLockOwner(dir, fakeProbe({ ...botFacts, startTime: '778' })),
    ).toMatchObject({
      state: 'stale',
      why: expect.stringMatching(/another process/),
    })
    expect(
      checkLockOwner(dir, fakeProbe({ ...botFacts, cmdline: ['vim', 'x'] })),
    ).toMatchObject({
      state: 'stale',
      why: expect.stringMatching(/now runs `vim x`/),
    })
  })

  test('behavior: without a process table, the token in status.json confirms the bot', () => {
    const dir = tempDir()
    const lock = acquireLock(dir, 4242, fakeProbe(botFacts))
    const noProc = fakeProbe()
    expect(checkLockOwner(dir, noProc).state).toBe('unverified')
    const status = { pid: 4242, lockToken: lock.token }
    writeFileSync(join(dir, STATUS_FILE), JSON.stringify(status))
    expect(checkLockOwner(dir, noProc).state).toBe('running')
    // Same token but another pid (a status file from another run) is not enough.
    writeFileSync(
      join(dir, STATUS_FILE),
      JSON.stringify({ ...status, pid: 4243 }),
    )
    expect(checkLockOwner(dir, noProc).state).toBe('unverified')
  })

  test('behavior: an old pid-only file with a live pid cannot be confirmed', () => {
    const dir = tempDir()
    writeFileSync(join(dir, PID_FILE), '4242\n')
    expect(checkLockOwner(dir, fakeProbe(botFacts))).toMatchObject({
      state: 'unverified',
      why: expect.stringMatching(/older version/),
    })
  })

  test('args: the recorded command line is a SHA-256 of the NUL-joined arguments', () => {
    const dir = tempDir()
    acquireLock(dir, 4242, fakeProbe(botFacts))
    expect(readLockRecord(dir)).toMatchObject({
      pid: 4242,
      startTime: '777',
      cmdline: hashCmdline(botFacts.cmdline),
    })
    expect(hashCmdline(['a', 'b'])).not.toBe(hashCmdline(['a b']))
  })
})
