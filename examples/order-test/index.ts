/**
 * order-test: places ONE small limit bid well below the market, reads it
 * back, cancels it and checks it is gone. The smallest possible end-to-end
 * check of keys, signing, precision and the order endpoints.
 *
 *   # against the local simulator (any key works there; one is generated)
 *   npm run sim -- --port 4000 &      # from a clone (installed: npx rung-sim --port 4000)
 *   BACKPACK_BASE_URL=http://127.0.0.1:4000 npx tsx examples/order-test/index.ts BTC_USDC
 *
 *   # against Backpack (real keys, real order; it is cancelled at once)
 *   BACKPACK_BASE_URL=https://api.backpack.exchange BACKPACK_API_KEY=... BACKPACK_API_SECRET=... \
 *     npx tsx examples/order-test/index.ts SOL_USDC
 */
import {
  BACKPACK_API_URL,
  createBackpackClient,
  divideDecimals,
  formatPrice,
  formatQuantity,
  generateKeyPair,
  isBackpackError,
  loadMarketRules,
  multiplyDecimals,
} from '@rung/backpack-sdk'

const symbol = process.argv[2] ?? 'BTC_USDC'
const baseUrl = process.env.BACKPACK_BASE_URL ?? BACKPACK_API_URL
const local = /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(baseUrl)

let apiKey = process.env.BACKPACK_API_KEY
let secretKey = process.env.BACKPACK_API_SECRET
if (!apiKey || !secretKey) {
  if (!local) {
    console.error(
      'Set BACKPACK_API_KEY and BACKPACK_API_SECRET (or point BACKPACK_BASE_URL at the simulator).',
    )
    process.exit(2)
  }
  // The simulator opens a funded paper account for any new key.
  ;({ publicKey: apiKey, secretKey } = generateKeyPair())
}

const client = createBackpackClient({ baseUrl, apiKey, secretKey })

async function main(): Promise<void> {
  const rules = await loadMarketRules(client)
  const ticker = await client.getTicker({ symbol })
  if (!ticker) throw new Error(`no ticker for ${symbol}`)
  // 10 % under the last price, rounded DOWN to the tick: it will not fill.
  const price = formatPrice(
    rules,
    symbol,
    multiplyDecimals(ticker.lastPrice, '0.9'),
    'down',
  )
  // About 11 USDC worth, rounded UP to the step so it stays above the minimums.
  const raw = divideDecimals('11', price, { decimals: 12, rounding: 'up' })
  const quantity = formatQuantity(rules, symbol, raw, 'up', { price })
  const clientId = 4_000_000_000 + Math.floor(Math.random() * 1000)

  const placed = await client.executeOrder({
    symbol,
    side: 'Bid',
    orderType: 'Limit',
    price,
    quantity,
    clientId,
    postOnly: true,
  })
  console.log(
    `placed   ${placed.id} (clientId ${placed.clientId}) Bid ${quantity} @ ${price}: ${placed.status}`,
  )
  const read = await client.getOrder({ symbol, clientId })
  console.log(`read     ${read.id}: ${read.status}`)
  const canceled = await client.cancelOrder({ symbol, clientId })
  console.log(`canceled ${canceled.id}: ${canceled.status}`)
  const open = await client.getOpenOrders({ symbol })
  if (open.some((o) => o.clientId === clientId))
    throw new Error('the order is still open')
  console.log('ok: placed, read back and cancelled one order')
}

main().catch((error: unknown) => {
  console.error(
    isBackpackError(error) ? `${error.name}: ${error.message}` : error,
  )
  process.exitCode = 1
})
