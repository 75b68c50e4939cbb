#!/usr/bin/env node
/**
 * `rung-sim`: starts the local Backpack exchange and prints its URLs.
 *
 * @module
 */
import { parseArgs } from 'node:util'
import type { SimFeedOptions, SimOptions } from './options.js'
import { startSim } from './sim.js'

const HELP = `rung-sim: a local Backpack exchange (REST + WebSocket) for tests and paper trading

Usage: rung-sim [options]

Options:
  --port <n>          TCP port (default 0: a free port)
  --host <addr>       interface (default 127.0.0.1)
  --seed <n>          feed seed: same seed, same prices (default 1)
  --feed <mode>       generated | replay | manual | off (default generated)
  --speed <x>         simulated seconds per real second (default 1; replay 60)
  --replay <file>     candle CSV (.csv or .csv.gz) to replay; implies --feed replay
  --symbol <market>   market the replay drives (default BTC_USDC)
  --rescale           scale the replay so its first open is the market's start price
  --balance <A=amt>   paper balance of new accounts, repeatable (e.g. USDC=10000)
  --keys <k1,k2>      only these base64 public keys may trade (default: any)
  --maker-fee <bps>   maker fee in basis points (default 8)
  --taker-fee <bps>   taker fee in basis points (default 10)
  --max-body-bytes <n> largest request body; larger ones get 413 (default 1048576)
  --disable-admin     no /_sim/ admin API (it has no auth; use beyond loopback)
  --quiet             print only the URLs
  -h, --help          this help

Admin API (not part of Backpack): /_sim/faults, /_sim/price, /_sim/step,
/_sim/ledger, /_sim/credit, /_sim/drop-connections, /_sim/state.
See docs/simulator.md.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      feed: { type: 'string' },
      speed: { type: 'string' },
      replay: { type: 'string' },
      symbol: { type: 'string' },
      rescale: { type: 'boolean' },
      balance: { type: 'string', multiple: true },
      keys: { type: 'string' },
      'maker-fee': { type: 'string' },
      'taker-fee': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      quiet: { type: 'boolean' },
      'disable-admin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return
  }
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isFinite(n)) {
      throw new Error(`--${name} must be a number; got ${JSON.stringify(v)}`)
    }
    return n
  }
  const maxBody = values['max-body-bytes']
  if (maxBody !== undefined && !/^[1-9]\d*$/.test(maxBody)) {
    throw new Error(
      `--max-body-bytes must be a whole number of bytes of at least 1, such as 1048576; got ${JSON.stringify(maxBody)}`,
    )
  }
  const mode = values.feed ?? (values.replay ? 'replay' : 'generated')
  const speed = num('speed', values.speed)
  let feed: SimFeedOptions
  if (mode === 'replay') {
    if (!values.replay) throw new Error('--feed replay needs --replay <file>')
    feed = {
      mode,
      file: values.replay,
      symbol: values.symbol,
      speed,
      rescale: values.rescale,
    }
  } else if (mode === 'generated') {
    feed = { mode, speed }
  } else if (mode === 'manual' || mode === 'off') {
    feed = { mode }
  } else {
    throw new Error(
      `--feed must be generated, replay, manual or off; got ${JSON.stringify(mode)}`,
    )
  }
  const options: SimOptions = {
    port: num('port', values.port),
    host: values.host,
    seed: num('seed', values.seed),
    feed,
    keys: values.keys?.split(',').map((k) => k.trim()),
    admin: !(values['disable-admin'] ?? false),
    makerFeeBps: values['maker-fee'],
    takerFeeBps: values['taker-fee'],
    maxBodyBytes: maxBody === undefined ? undefined : Number(maxBody),
  }
  if (values.balance) {
    options.balances = Object.fromEntries(
      values.balance.map((b) => {
        const [asset, amount] = b.split('=')
        if (!asset || !amount) {
          throw new Error(`--balance must look like USDC=10000; got ${b}`)
        }
        return [asset, amount]
      }),
    )
  }
  const quiet = values.quiet ?? false
  const sim = await startSim({
    ...options,
    logger: quiet
      ? {}
      : {
          info: (m) => process.stderr.write(`${m}\n`),
          warn: (m) => process.stderr.write(`warn: ${m}\n`),
        },
  })
  process.stdout.write(`REST      ${sim.url}\nWebSocket ${sim.wsUrl}\n`)
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((e: unknown) => {
  process.stderr.write(
    `rung-sim: ${e instanceof Error ? e.message : String(e)}\n`,
  )
  process.exit(1)
})
