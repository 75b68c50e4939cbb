import { setupServer } from 'msw/node'
import { handlers } from './handlers.js'

/** The msw server every test shares; override per test with `server.use()`. */
export const server = setupServer(...handlers)
