import { defineConfig, type Options } from 'tsup'

/**
 * The one build config every package shares: ESM + CJS, declarations per
 * format (`.d.ts` / `.d.cts`), source maps, dependencies left external.
 * A package's `tsup.config.ts` is a single call naming its entry points.
 */
export function defineRungConfig(
  entry: Record<string, string>,
  overrides: Options = {},
) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { paths: {} } },
    sourcemap: true,
    clean: true,
    splitting: false,
    target: 'node20',
    // Private workspace packages (the decimal core) are bundled into each
    // published package, never imported at run time.
    noExternal: [/^@rung\/decimal-core$/],
    platform: 'node',
    tsconfig: 'tsconfig.json',
    ...overrides,
  })
}
