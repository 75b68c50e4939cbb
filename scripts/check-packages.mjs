// Checks every published package as npm would pack it: publint (strict)
// for the package.json contract, attw for the types each resolver sees, and
// that no built file imports a private workspace package (those, like
// @rung/decimal-core, are bundled at build time and never published).
// Run after `npm run build`. Exits non-zero on the first failure.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const packages = ['backpack-sdk', 'ladder-strategy', 'backpack-sim', 'bot-cli']

const privatePackages = readdirSync('packages')
  .map((dir) =>
    JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8')),
  )
  .filter((pkg) => pkg.private === true)
  .map((pkg) => pkg.name)

/** Lines of the package's dist/ that import or require a private package. */
function privateImports(dir) {
  const found = []
  const dist = join(dir, 'dist')
  for (const file of readdirSync(dist, { recursive: true })) {
    if (!/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file)) continue
    const text = readFileSync(join(dist, file), 'utf8')
    for (const name of privatePackages) {
      const quoted = new RegExp(
        `(from|import|require)\\s*\\(?\\s*["']${name}["']`,
      )
      if (quoted.test(text)) found.push(`${join(dist, file)} imports ${name}`)
    }
  }
  return found
}

for (const name of packages) {
  const dir = `packages/${name}`
  console.log(`\n== ${dir}`)
  execFileSync('npx', ['publint', '--strict', dir], { stdio: 'inherit' })
  // node10 resolution predates `exports`; we support node16+ and bundlers.
  execFileSync('npx', ['attw', '--pack', dir, '--profile', 'node16'], {
    stdio: 'inherit',
  })
  const leaks = privateImports(dir)
  if (leaks.length > 0) {
    console.error(
      `${leaks.join('\n')}\nA private workspace package must be bundled: add it to tsup's noExternal (tsup.base.ts) and keep its types out of the public API.`,
    )
    process.exit(1)
  }
  console.log(`no private workspace package imported by ${dir}/dist`)
}
