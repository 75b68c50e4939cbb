import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
const tsx = ['--import', 'tsx', cli]

describe('rung-sim', () => {
  test('args: --help', () => {
    const r = spawnSync(process.execPath, [...tsx, '--help'], {
      encoding: 'utf8',
    })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Usage: rung-sim [options]')
    expect(r.stdout).toContain('--replay <file>')
  })

  test('error: a bad option value names the option', () => {
    const r = spawnSync(process.execPath, [...tsx, '--feed', 'sideways'], {
      encoding: 'utf8',
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      '--feed must be generated, replay, manual or off',
    )
  })

  test('error: --max-body-bytes must be a whole number of bytes', () => {
    const r = spawnSync(process.execPath, [...tsx, '--max-body-bytes', '1.5'], {
      encoding: 'utf8',
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      '--max-body-bytes must be a whole number of bytes of at least 1, such as 1048576; got "1.5"',
    )
  })

  test('args: --max-body-bytes caps request bodies', async () => {
    const child = spawn(process.execPath, [
      ...tsx,
      '--feed',
      'manual',
      '--quiet',
      '--max-body-bytes',
      '16',
    ])
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /REST\s+(http:\/\/\S+)/.exec(out)
          if (m && out.includes('WebSocket')) resolve(m[1]!)
        })
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)))
      })
      const res = await fetch(`${url}/_sim/faults`, {
        method: 'POST',
        body: JSON.stringify({ delayMs: 0, splitFills: 1 }),
      })
      expect(res.status).toBe(413)
      expect(await res.json()).toMatchObject({
        message: expect.stringContaining('(16 bytes, `maxBodyBytes`)'),
      })
    } finally {
      child.kill('SIGTERM')
    }
    await new Promise((r) => child.once('exit', r))
  }, 15_000)

  test('default: prints the URLs and serves until stopped', async () => {
    const child = spawn(process.execPath, [
      ...tsx,
      '--feed',
      'manual',
      '--quiet',
    ])
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /REST\s+(http:\/\/\S+)/.exec(out)
          if (m && out.includes('WebSocket')) resolve(m[1]!)
        })
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)))
      })
      const res = await fetch(`${url}/api/v1/status`)
      expect(await res.json()).toEqual({ status: 'Ok', message: null })
    } finally {
      child.kill('SIGTERM')
    }
    const code = await new Promise((r) => child.once('exit', r))
    expect(code).toBe(0)
  }, 15_000)
})
