/**
 * Work in progress.
 *
 * @module
 */

/** The signing scheme's name. */
export const SCHEME = 'ed25519'
