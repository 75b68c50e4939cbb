import { expect, test } from 'vitest'
import * as root from './index.js'
import * as signing from './signing/index.js'

test('behavior: every signing-subpath export is also on the root entry', () => {
  const rootExports = new Map(Object.entries(root))
  for (const [name, value] of Object.entries(signing)) {
    expect(rootExports.get(name), name).toBe(value)
  }
})
