/** `rung init`: writes the commented starter config (JSONC) to start from. */
import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { STARTER_CONFIG, STARTER_CONFIG_NAME } from '../config/starterConfig.js'
import { EXIT, ExitError } from '../errors.js'
import type { CommandEnv } from './command.js'

/** Registers `rung init` on the program. */
export function registerInit(program: Command, env: CommandEnv): void {
  program
    .command('init')
    .description('write a commented starter config (JSONC) to start from')
    .option('-o, --output <file>', 'where to write it', STARTER_CONFIG_NAME)
    .option('-f, --force', 'overwrite an existing file')
    .action((options: { output: string; force?: boolean }) => {
      const path = resolve(env.io.cwd, options.output)
      if (existsSync(path) && !options.force) {
        throw new ExitError(
          EXIT.usage,
          `${path} already exists.\nFix: pass --force to overwrite it, or --output to write elsewhere.`,
        )
      }
      writeFileSync(path, STARTER_CONFIG, { mode: 0o600 })
      env.io.stdout.write(
        `Wrote ${path}. Try it: rung paper --config ${options.output}\n`,
      )
    })
}
