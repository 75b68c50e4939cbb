import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (path: string) =>
  fileURLToPath(new URL(`./packages/${path}`, import.meta.url))

/** Tests run against the sources, so `npm test` needs no build first. */
const alias = {
  '@rung/backpack-sdk/signing': src('backpack-sdk/src/signing/index.ts'),
  '@rung/backpack-sdk': src('backpack-sdk/src/index.ts'),
  '@rung/ladder-strategy/node': src('ladder-strategy/src/node/index.ts'),
  '@rung/ladder-strategy': src('ladder-strategy/src/index.ts'),
  '@rung/backpack-sim': src('backpack-sim/src/index.ts'),
}

/**
 * A test's time limit catches a hang, not slowness: on a loaded 2-core
 * machine, spawning a CLI through tsx alone can take longer than vitest's
 * 5 s default. (Inline projects do not inherit the root's test options.)
 */
const limits = { testTimeout: 30_000, hookTimeout: 30_000 }

const packages = [
  'decimal-core',
  'backpack-sdk',
  'ladder-strategy',
  'backpack-sim',
  'bot-cli',
] as const

export default defineConfig({
  test: {
    clearMocks: true,
    restoreMocks: true,
    projects: [
      ...packages.map((name) => ({
        resolve: { alias },
        test: {
          ...limits,
          name,
          root: `./packages/${name}`,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          setupFiles: name === 'backpack-sdk' ? ['./test/setup.ts'] : [],
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
        },
      })),
      {
        resolve: { alias },
        test: {
          ...limits,
          name: 'examples',
          root: './examples',
          include: ['**/*.test.ts'],
        },
      },
    ],
  },
})
