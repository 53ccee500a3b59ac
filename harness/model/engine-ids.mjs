// The engines the harness knows, in matrix order. Plain and dependency-free: the set-up script
// reads it before `npm install`, and every layer takes the list from here.
export const ENGINE_IDS = /** @type {const} */ (['chromium', 'firefox', 'webkit']);
