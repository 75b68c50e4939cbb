// Checks every published package as npm would pack it: publint (strict)
// for the package.json contract, attw for the types each resolver sees.
// Run after `npm run build`. Exits non-zero on the first failure.
import { execFileSync } from 'node:child_process'

const packages = ['backpack-sdk', 'ladder-strategy', 'backpack-sim', 'bot-cli']

for (const name of packages) {
  const dir = `packages/${name}`
  console.log(`\n== ${dir}`)
  execFileSync('npx', ['publint', '--strict', dir], { stdio: 'inherit' })
  // node10 resolution predates `exports`; we support node16+ and bundlers.
  execFileSync('npx', ['attw', '--pack', dir, '--profile', 'node16'], {
    stdio: 'inherit',
  })
}
