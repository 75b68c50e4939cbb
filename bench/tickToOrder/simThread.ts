/**
 * backpack-sim in a worker thread, as the tick-to-order benchmark uses it:
 * the exchange never runs on the bot's event loop in real life, so the
 * benchmark keeps it off the main thread too (its HTTP and WebSocket work,
 * its signature checks and matching no longer queue behind the bot's, nor
 * the bot's behind them). The main thread drives it by messages: `setPrice`
 * is posted without waiting (the measured move), the rest are calls that
 * resolve with the sim's answer.
 */
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads'
import type { Sim, SimOptions } from '@rung/backpack-sim'

/** The sim on its thread. */
export interface SimThread {
  url: string
  wsUrl: string
  /** Posts a price move (does not wait: the frame is the answer). */
  setPrice(symbol: string, price: string): void
  /** Moves the price to the sim's fair price (nudges a ladder waiting for one). */
  nudge(symbol: string): void
  credit(account: string, asset: string, amount: string): Promise<void>
  /**
   * With `RUNG_BENCH_BREAKDOWN=1`: the sim's marks since the last call
   * (each request got and answered, each WebSocket frame sent), as
   * absolute times in ms (`performance.timeOrigin + performance.now()`).
   */
  marks(): Promise<[string, number][]>
  /** The best ask and bid of a market. */
  top(symbol: string): Promise<{ ask: string; bid: string }>
  close(): Promise<void>
}

interface Call {
  id: number
  method: 'setPrice' | 'nudge' | 'credit' | 'top' | 'marks' | 'close'
  args: string[]
}

/** Starts the sim on a new worker thread. */
export async function startSimThread(options: SimOptions): Promise<SimThread> {
  // The thread loads this TypeScript file through tsx's ESM API, registered
  // inside it first (a worker does not inherit the bench's loader).
  const api = import.meta.resolve('tsx/esm/api')
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}) })`
  const worker = new Worker(code, { eval: true, workerData: options })
  type Waiter = { resolve(value: unknown): void; reject(e: unknown): void }
  const pending = new Map<number, Waiter>()
  let next = 1
  // Id 0 is the sim's first message: its addresses, once it listens.
  const started = new Promise<{ url: string; wsUrl: string }>(
    (resolve, reject) =>
      pending.set(0, { resolve: resolve as Waiter['resolve'], reject }),
  )
  worker.on('message', (m: { id: number; result?: unknown }) => {
    pending.get(m.id)?.resolve(m.result)
    pending.delete(m.id)
  })
  // The sim failing fails every call waiting on it.
  worker.on('error', (error) => {
    for (const w of pending.values()) w.reject(error)
    pending.clear()
  })
  const call = (method: Call['method'], ...args: string[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, method, args } satisfies Call)
    })
  const post = (method: Call['method'], ...args: string[]) =>
    worker.postMessage({ id: 0, method, args } satisfies Call)
  const { url, wsUrl } = await started
  return {
    url,
    wsUrl,
    setPrice: (symbol, price) => post('setPrice', symbol, price),
    nudge: (symbol) => post('nudge', symbol),
    credit: async (account, asset, amount) => {
      await call('credit', account, asset, amount)
    },
    marks: async () => (await call('marks')) as [string, number][],
    top: async (symbol) =>
      (await call('top', symbol)) as { ask: string; bid: string },
    close: async () => {
      await call('close')
      await worker.terminate()
    },
  }
}

/** The sim's marks (`RUNG_BENCH_BREAKDOWN=1`), taken by `marks()`. */
const simMarks: [string, number][] = []

/** Marks each request got and answered, and each frame sent, in this thread. */
async function traceSim(): Promise<void> {
  const http = await import('node:http')
  const { WebSocket } = await import('ws')
  const at = () => performance.timeOrigin + performance.now()
  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function (
    this: import('node:http').Server,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === 'request') {
      const req = args[0] as import('node:http').IncomingMessage
      const res = args[1] as import('node:http').ServerResponse
      const what = `${req.method} ${req.url?.split('?')[0]}`
      simMarks.push([`sim got ${what}`, at()])
      res.once('finish', () => simMarks.push([`sim answered ${what}`, at()]))
    }
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args)
  } as typeof emit
  const send = WebSocket.prototype.send
  WebSocket.prototype.send = function (this: WebSocket, ...args: unknown[]) {
    simMarks.push(['sim sent a frame', at()])
    return (send as (...a: unknown[]) => void).apply(this, args)
  } as typeof send
}

/** The worker's side: start the sim, answer calls. */
async function serve(): Promise<void> {
  if (process.env.RUNG_BENCH_BREAKDOWN === '1') await traceSim()
  const { startSim } = await import('@rung/backpack-sim')
  const sim: Sim = await startSim(workerData as SimOptions)
  const port = parentPort
  if (port === null) return
  port.postMessage({ id: 0, result: { url: sim.url, wsUrl: sim.wsUrl } })
  port.on('message', async ({ id, method, args }: Call) => {
    const [a = '', b = '', c = ''] = args
    let result: unknown
    switch (method) {
      case 'setPrice':
        sim.setPrice(a, b)
        break
      case 'nudge':
        sim.setPrice(a, sim.fairPrice(a))
        break
      case 'credit':
        sim.credit(a, b, c)
        break
      case 'top': {
        const book = sim.book(a)
        result = {
          ask: (book.asks[0] as [string, string])[0],
          bid: (book.bids[0] as [string, string])[0],
        }
        break
      }
      case 'marks':
        result = simMarks.splice(0)
        break
      case 'close':
        await sim.close()
        break
      default:
        throw new Error(`unknown sim call ${String(method satisfies never)}`)
    }
    if (id !== 0) port.postMessage({ id, result })
  })
}

if (!isMainThread) void serve()
