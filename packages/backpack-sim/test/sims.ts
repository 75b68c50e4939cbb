/**
 * Test helper: simulators with a manual feed and no depth heartbeat (nothing
 * moves unless the test says so), each closed after the test that started
 * it.
 */
import { afterEach } from 'vitest'
import { type Sim, type SimOptions, startSim } from '../src/index.js'

/**
 * Registers the after-each close in the calling test file and returns the
 * starter: `const manual = manualSims()`, then `await manual({ … })`.
 */
export function manualSims(): (extra?: SimOptions) => Promise<Sim> {
  let sim: Sim | undefined
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })
  return async (extra = {}) => {
    sim = await startSim({
      feed: { mode: 'manual' },
      depthHeartbeatMs: false,
      ...extra,
    })
    return sim
  }
}
