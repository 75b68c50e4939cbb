import { defineRungConfig } from '../../tsup.base.js'

// Code splitting puts what `index` and `signing` share (the error classes,
// the signer) in one chunk, so `instanceof SigningError` holds whichever
// entry point a value came from.
export default defineRungConfig(
  {
    index: 'src/index.ts',
    signing: 'src/signing/index.ts',
  },
  { splitting: true },
)
