// The probe page's path on every page origin: the page's URL is its origin plus this path, which
// the Referer a request carries can name (harness/oracle/referrer.ts).
export const PROBE_PATH = '/probe.html';
