/**
 * Whether this build runs only in pages. The drop-in scripts, which run nowhere else, are built
 * with this set to true (rollup.config.mjs), so that what serves a missing window (server
 * rendering, workers) falls away from them.
 */
export const PAGE_ONLY = false as boolean;
