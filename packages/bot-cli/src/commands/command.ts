/**
 * What every `rung` command is registered with: the injected I/O and the
 * way to its validated context (global flags, config, settings), plus the
 * flag parsers commands share.
 */
import type { Command } from 'commander'
import type { CommandContext, ContextMode } from '../config/context.js'
import { ConfigError } from '../errors.js'
import type { CliIo } from '../io.js'

/** What `buildProgram` hands each command's `register…` function. */
export interface CommandEnv {
  /** Streams, environment, working directory and signals. */
  io: CliIo
  /**
   * The command's context: its global flags (`--config`, `--data-dir`, …)
   * resolved with the config file and the environment for `mode`.
   */
  context(command: Command, mode: ContextMode): CommandContext
}

/** A flag's value as a whole number >= `min`, or a ConfigError naming the flag. */
export function wholeNumber(flag: string, value: string, min: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min)
    throw new ConfigError(
      flag,
      `Invalid option: ${flag} ${JSON.stringify(value)} is not a whole number >= ${min}.\nFix: pass ${flag} ${min === 0 ? '0' : '1'} or more, digits only.`,
    )
  return n
}

/** Commander's collector of a repeatable flag: each value appended. */
export const collect = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  value,
]
