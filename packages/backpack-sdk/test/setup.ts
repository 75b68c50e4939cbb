import { afterAll, afterEach, beforeAll } from 'vitest'
import { exchange } from './msw/handlers.js'
import { server } from './msw/server.js'

// Any request without a handler fails the test: nothing reaches a network.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  exchange.reset()
})
afterAll(() => server.close())
