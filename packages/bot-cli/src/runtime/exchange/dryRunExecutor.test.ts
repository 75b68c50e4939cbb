import { describe, expect, test } from 'vitest'
import {
  ladderState,
  now,
  placeCommand,
  stubClient,
} from '../../../test/exchangeStub.js'
import { silentLogger } from '../../ui/logger.js'
import { createDryRunExecutor } from './dryRunExecutor.js'

describe('createDryRunExecutor', () => {
  test('default: accepts everything, sends nothing, reconciles to its own view', async () => {
    const client = stubClient()
    const executor = createDryRunExecutor({
      client,
      symbol: 'BTC_USDC',
      logger: silentLogger,
      now,
    })
    const state = ladderState()
    const command = placeCommand(state)
    const orders = command.orders
    const result = await executor.run([command], state)
    expect(result.events).toHaveLength(8)
    expect(client.executeOrder).not.toHaveBeenCalled()
    const event = await executor.reconcile(state, 0)
    expect(event.openOrders.map((o) => o.clientId)).toEqual(
      orders.map((o) => o.clientId),
    )
    expect(event.fills).toEqual([])
  })
})
