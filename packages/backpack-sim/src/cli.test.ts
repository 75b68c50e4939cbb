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
