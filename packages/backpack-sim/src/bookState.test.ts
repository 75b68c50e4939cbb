import { describe, expect, test } from 'vitest'
import { caller } from '../test/signed.js'
import { manualSims } from '../test/sims.js'

const manual = manualSims()

const bid = (price: string) => ({
  symbol: 'SOL_USDC',
  side: 'Bid',
  orderType: 'Limit',
  price,
  quantity: '2',
})

describe('order book states', () => {
  test('behavior: a Closed book refuses orders with TRADING_PAUSED, fills nothing, takes cancels, and trades again once Open', async () => {
    const s = await manual()
    const c = caller(s.url)
    const fair = Number(s.fairPrice('SOL_USDC'))
    const resting = await c.call<{ id: string }>(
      'POST',
      '/api/v1/order',
      bid((fair * 0.99).toFixed(2)),
    )
    expect(resting.status).toBe(200)

    s.setMarketState('SOL_USDC', 'Closed')
    const market = await fetch(`${s.url}/api/v1/market?symbol=SOL_USDC`)
    expect(
      ((await market.json()) as { orderBookState: string }).orderBookState,
    ).toBe('Closed')
    const refused = await c.call(
      'POST',
      '/api/v1/order',
      bid((fair * 0.98).toFixed(2)),
    )
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({
      code: 'TRADING_PAUSED',
      message:
        'The SOL_USDC order book is Closed: it accepts no new orders until it reopens (cancels still work)',
    })
    // The price falls through the resting bid: nothing trades on a closed book.
    s.setPrice('SOL_USDC', (fair * 0.97).toFixed(2))
    const fills = await c.call<unknown[]>('GET', '/wapi/v1/history/fills', {
      symbol: 'SOL_USDC',
    })
    expect(fills.body).toEqual([])
    // Other markets trade on.
    const eth = await c.call('POST', '/api/v1/order', {
      symbol: 'ETH_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: (Number(s.fairPrice('ETH_USDC')) * 0.99).toFixed(2),
      quantity: '0.01',
    })
    expect(eth.status).toBe(200)

    // Reopened: the market maker quotes at the new price, and the resting
    // bid above it fills.
    s.setMarketState('SOL_USDC', 'Open')
    const after = await c.call<unknown[]>('GET', '/wapi/v1/history/fills', {
      symbol: 'SOL_USDC',
    })
    expect(after.body).toHaveLength(1)
    const again = await c.call<{ id: string }>(
      'POST',
      '/api/v1/order',
      bid((fair * 0.96).toFixed(2)),
    )
    expect(again.status).toBe(200)
    // Cancels work whatever the state.
    s.setMarketState('SOL_USDC', 'CancelOnly')
    const canceled = await c.call<{ status: string }>(
      'DELETE',
      '/api/v1/order',
      {
        symbol: 'SOL_USDC',
        orderId: again.body.id,
      },
    )
    expect(canceled.body.status).toBe('Cancelled')
  })

  test('behavior: LimitOnly refuses market orders, PostOnly orders that are not post-only', async () => {
    const s = await manual()
    const c = caller(s.url)
    const fair = Number(s.fairPrice('SOL_USDC'))
    s.setMarketState('SOL_USDC', 'LimitOnly')
    const market = await c.call<{ message: string }>('POST', '/api/v1/order', {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Market',
      quantity: '1',
    })
    expect(market.body.message).toBe(
      'The SOL_USDC order book is LimitOnly: it accepts limit orders only',
    )
    expect(
      (await c.call('POST', '/api/v1/order', bid((fair * 0.99).toFixed(2))))
        .status,
    ).toBe(200)
    s.setMarketState('SOL_USDC', 'PostOnly')
    const plain = await c.call<{ code: string }>(
      'POST',
      '/api/v1/order',
      bid((fair * 0.98).toFixed(2)),
    )
    expect(plain.body.code).toBe('TRADING_PAUSED')
    const post = await c.call('POST', '/api/v1/order', {
      ...bid((fair * 0.98).toFixed(2)),
      postOnly: true,
    })
    expect(post.status).toBe(200)
  })

  test('error: the admin route names a bad state and an unlisted market', async () => {
    const s = await manual()
    const post = (body: unknown) =>
      fetch(`${s.url}/_sim/market-state`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
    const ok = await post({ symbol: 'SOL_USDC', state: 'Closed' })
    expect(await ok.json()).toEqual({
      symbol: 'SOL_USDC',
      orderBookState: 'Closed',
    })
    const bad = await post({ symbol: 'SOL_USDC', state: 'Shut' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      code: 'INVALID_CLIENT_REQUEST',
      message:
        '`state` must be one of Open, Closed, CancelOnly, LimitOnly, PostOnly; got "Shut"',
    })
    const unlisted = await post({ symbol: 'DOGE_USDC', state: 'Closed' })
    expect(unlisted.status).toBe(400)
  })
})
