// custom-strategy: a ladder bot from the SDK and the strategy package alone,
// with a stop loss and a trailing take profit. See README.md.
import * as sdk from '@rung/backpack-sdk'
import * as ladder from '@rung/ladder-strategy'

const env = process.env
const keys = env.BACKPACK_API_SECRET
  ? { publicKey: env.BACKPACK_API_KEY, secretKey: env.BACKPACK_API_SECRET }
  : sdk.generateKeyPair() // the simulator funds any new key
const auth = { apiKey: keys.publicKey, secretKey: keys.secretKey }
const baseUrl = env.BACKPACK_BASE_URL ?? 'http://127.0.0.1:4000'
const client = sdk.createBackpackClient({ baseUrl, ...auth })
const url = env.BACKPACK_WS_URL ?? 'ws://127.0.0.1:4000'
const stream = sdk.createStreamClient({ url, ...auth })

// The classic config layout, plus the strategy's extensions.
const { config } = ladder.validateConfig({
  trading: { totalAmount: 500, orderCount: 5, maxDropPercentage: 3 },
  strategy: { stopLossPercentage: '2', trailingTakeProfitPercentage: '0.1' },
})
const symbol = config.symbol
const rule = (await sdk.loadMarketRules(client))[symbol]
if (!rule) throw new Error(`${symbol} is not listed`)
let state = ladder.initialState(config, rule)
const queue: ladder.LadderEvent[] = []
let busy = false
const at = () => Date.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
type Side = 'Bid' | 'Ask'

/** Places one order; the answer becomes an `orderAccepted` event. */
async function place(side: Side, clientId: number, qty: string, price = '') {
  const order = price
    ? { orderType: 'Limit' as const, price, quantity: qty }
    : { orderType: 'Market' as const, quantity: qty }
  const r = await client.executeOrder({ symbol, side, clientId, ...order })
  return { type: 'orderAccepted' as const, at: at(), clientId, orderId: r.id }
}
const fire = (timer: ladder.TimerName) =>
  push({ type: 'timerFired', at: at(), timer })
/** Performs one command (all the I/O is here); answers become events. */
async function perform(c: ladder.LadderCommand): Promise<ladder.LadderEvent[]> {
  if (c.type === 'placeOrders')
    return Promise.all(
      c.orders.map((o) => place('Bid', o.clientId, o.quantity, o.price)),
    )
  if (c.type === 'sellPosition')
    return [await place('Ask', c.clientId, c.quantity)]
  if (c.type === 'cancelOrders' && c.clientIds === 'all')
    await client.cancelOpenOrders({ symbol })
  else if (c.type === 'cancelOrders' && c.clientIds !== 'all')
    for (const clientId of c.clientIds)
      await client.cancelOrder({ symbol, clientId }).catch(() => {})
  else if (c.type === 'scheduleTimer') setTimeout(fire, c.at - at(), c.timer)
  else if (c.type === 'log' || c.type === 'warning') console.log(c.message)
  else if (c.type === 'cycleCompleted')
    console.log(`cycle ${c.cycle} ${c.reason}: profit ${c.profit} USDC`)
  return []
}
/** One event at a time: step, then perform its commands in order. */
async function drain(): Promise<void> {
  if (busy) return
  busy = true
  for (let event = queue.shift(); event; event = queue.shift()) {
    const [next, commands] = ladder.step(state, event)
    if (next.status !== state.status) console.log(`-> ${next.status}`)
    state = next
    for (const c of commands) queue.unshift(...(await perform(c)))
  }
  busy = false
}
function push(event: ladder.LadderEvent): void {
  queue.push(event)
  void drain()
}
stream.subscribe(`bookTicker.${symbol}`, (t) =>
  push({ type: 'priceUpdated', at: at(), price: t.bestBidPrice }),
)
stream.subscribe(`account.orderUpdate.${symbol}`, (u) => {
  const { clientId, fillPrice: price, fillQuantity: quantity } = u
  if (clientId === undefined) return
  if (u.eventType === 'orderFill' && price && quantity) {
    const feeAsset = u.feeAsset === rule.baseSymbol ? 'base' : 'quote'
    const fee = u.fee ?? '0'
    const cumulativeQuantity = u.executedQuantity
    const fill = { clientId, price, quantity, fee, feeAsset } as const
    push({ type: 'orderFilled', at: at(), ...fill, cumulativeQuantity })
  } else if (u.eventType === 'orderCancelled' || u.eventType === 'orderExpired')
    push({ type: 'orderCanceled', at: at(), clientId })
})
// Ctrl-C: tell the machine first; it answers with the cancels to perform (an
// exit in flight completes first), so every cancel it sees was asked for.
process.once('SIGINT', async () => {
  push({ type: 'stopRequested', at: at() })
  while (busy || state.status !== 'stopped') await sleep(50)
  console.log(`stopped after ${state.totals.cycles} cycle(s)`)
  process.exit(0)
})
push({ type: 'started', at: at() })
