/**
 * The stream tests talk to a real `ws` server on 127.0.0.1. The package's
 * msw setup (for the REST tests) intercepts every outgoing HTTP request,
 * including a WebSocket's HTTP upgrade, and fails unhandled ones; so files
 * that use the loopback server switch msw off for themselves. Vitest runs
 * each test file in its own module graph, so other files keep msw.
 */
import { beforeAll } from 'vitest'
import { server } from '../msw/server.js'

/** Call at the top level of a test file that uses the loopback ws server. */
export function useLoopbackNetwork(): void {
  beforeAll(() => server.close())
}
