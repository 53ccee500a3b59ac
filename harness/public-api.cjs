// `require('cors-matrix')` in npm's default CommonJS project: a policy file with
// `module.exports = definePolicy({ ... })`, or an `import` that Playwright's loader turns into a
// `require`. Node 20 cannot require the ES module entry (harness/public-api.ts), so the helpers
// that only add types are here too; corsProjects() reads the machine and stays an ES module export.
'use strict';

/** Only adds types; the run validates the policy exactly like the JSON form. */
exports.definePolicy = (policy) => policy;

/** Only adds types; `cors-matrix matrix --scenarios` checks every field. */
exports.defineScenarios = (scenarios) => scenarios;

exports.corsProjects = () => {
  throw new Error('cors-matrix: corsProjects() is loaded with import, and this file was loaded with require (a CommonJS project). Fix: name the config playwright.config.mjs, or add "type": "module" to package.json');
};
