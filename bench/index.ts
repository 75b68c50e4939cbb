/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or only those whose name
 * contains the first CLI argument). Each module's default export is an
 * async function that prints its own comparison tables.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const filter = process.argv[2] ?? ''
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort()

console.log(`node ${process.version}, ${files.length} benchmark file(s)`)
for (const file of files) {
  const mod = (await import(`./${file}`)) as { default: () => Promise<void> }
  console.log(`\n# ${file}`)
  await mod.default()
}
