// Options after `--` go to Playwright, and Playwright's --reporter replaces the config's reporters:
// without this, `cors-matrix check -- --reporter=dot` wrote no report and let the tests alone decide.

/** The arguments with cors-matrix's policy reporter (`ours`, a module path) put back beside every --reporter the user gave. */
export function keepPolicyReporter(args: string[], ours: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--reporter' && i + 1 < args.length) { out.push(a, `${args[++i]},${ours}`); continue; }
    out.push(a.startsWith('--reporter=') ? `${a},${ours}` : a);
  }
  return out;
}
