import { expect, test } from 'vitest'
import * as root from './index.js'
import * as signing from './signing/index.js'

test('behavior: every signing-subpath export is also on the root entry', () => {
  for (const [name, value] of Object.entries(signing)) {
    expect(root[name as keyof typeof root], name).toBe(value)
  }
})
