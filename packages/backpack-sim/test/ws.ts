/** Test helper: a WebSocket client that records every frame it receives. */
import WebSocket from 'ws'

export interface Frame {
  stream?: string
  data?: Record<string, unknown>
  error?: { code: number; message: string }
  id?: unknown
}

export interface Recorder {
  ws: WebSocket
  frames: Frame[]
  send(msg: unknown): void
  /** Resolves with the first frame (already received or future) matching `pred`. */
  next(pred: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>
  /** Resolves once `n` frames match. */
  count(
    pred: (f: Frame) => boolean,
    n: number,
    timeoutMs?: number,
  ): Promise<Frame[]>
  close(): void
}

export async function connect(url: string): Promise<Recorder> {
  const ws = new WebSocket(url)
  const frames: Frame[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (raw) => {
    frames.push(JSON.parse(raw.toString()) as Frame)
    for (const w of [...waiters]) w()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const count = (pred: (f: Frame) => boolean, n: number, timeoutMs = 3000) =>
    new Promise<Frame[]>((resolve, reject) => {
      const check = () => {
        const hits = frames.filter(pred)
        if (hits.length >= n) {
          clearTimeout(timer)
          waiters.splice(waiters.indexOf(check), 1)
          resolve(hits)
        }
      }
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(check), 1)
        reject(
          new Error(
            `timed out waiting for ${n} frame(s); got ${frames.length} frames`,
          ),
        )
      }, timeoutMs)
      waiters.push(check)
      check()
    })
  return {
    ws,
    frames,
    send: (msg) => ws.send(JSON.stringify(msg)),
    next: async (pred, timeoutMs) => (await count(pred, 1, timeoutMs))[0]!,
    count,
    close: () => ws.terminate(),
  }
}

/** Resolves once `cond()` holds (polled every 5 ms), or rejects after `timeoutMs`. */
export async function until(
  cond: () => boolean,
  timeoutMs = 3000,
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition')
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Resolves once the simulator has a subscriber on every one of `streams`. */
export function subscribed(
  sim: { subscriptions(): Record<string, number> },
  ...streams: string[]
): Promise<void> {
  return until(() => streams.every((s) => (sim.subscriptions()[s] ?? 0) > 0))
}
