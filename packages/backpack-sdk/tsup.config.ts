import { defineRungConfig } from '../../tsup.base.js'

export default defineRungConfig({
  index: 'src/index.ts',
  signing: 'src/signing/index.ts',
})
