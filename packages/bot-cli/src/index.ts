/**
 * Work in progress: this package is being built (see the project's issues).
 *
 * @module
 */

/** The package's version. */
export const VERSION = '0.0.0'
