// Access-Control-Allow-Origin on a simple GET: the value forms servers get wrong. The CORS check
// (Fetch §4.10) passes only for `*` without credentials or a byte-exact serialised origin, so
// every near miss below is a separate row. The first eight carry hand-written expectations that
// the oracle is tested against; the rest take the oracle's.
import type { Scenario } from '../model/types.ts';
import { ACAC, ACAM, ACAO, category, exact, ok, pre, put, req, wpt } from './build.ts';

const MULTIPLE = wpt('fetch/api/cors/cors-multiple-origins.sub.any.js');

const get = req();

export const acaoFormat: Scenario[] = category('acao-format', [
  { id: 'acao-star', title: 'ACAO * on a simple GET', request: req(), response: ok([[ACAO, '*']]), expect: { outcome: 'allowed', preflight: false } },
  { id: 'acao-exact-origin', title: 'ACAO is the exact page origin', request: req(), response: ok([[ACAO, '$ORIGIN']]), expect: { outcome: 'allowed', preflight: false } },
  { id: 'acao-mismatch', title: 'ACAO names another origin', request: req(), response: ok([[ACAO, 'https://frontend.example']]), expect: { outcome: 'blocked', preflight: false } },
  // The header is one value, not a list: "a, b" is compared whole and matches nothing (CORS check, step 4).
  { id: 'acao-two-values', title: 'ACAO lists two origins in one header', request: req(), response: ok([[ACAO, '$ORIGIN, https://other.test']]), expect: { outcome: 'blocked', preflight: false } },
  // Two header lines are combined into "a, b" before the check (Fetch "header list get"), so even one valid line fails.
  { id: 'acao-two-lines', title: 'ACAO sent twice (app and proxy both add it)', request: req(), response: ok([[ACAO, '$ORIGIN'], [ACAO, '*']]), expect: { outcome: 'blocked', preflight: false } },
  // `null` matches only a request whose Origin is null (an opaque origin), never a real one.
  { id: 'acao-null', title: 'ACAO null for a page with a real origin', request: req(), response: ok([[ACAO, 'null']]), expect: { outcome: 'blocked', preflight: false } },
  // A serialised origin has no path, so the slash makes the bytes differ.
  { id: 'acao-trailing-slash', title: 'ACAO with a trailing slash', request: req(), response: ok([[ACAO, '$ORIGIN/']]), expect: { outcome: 'blocked', preflight: false } },
  { id: 'acao-missing', title: 'No ACAO on a 200', request: req(), response: ok(), expect: { outcome: 'blocked', preflight: false } },
  // The comparison is byte for byte, not URL equivalence: a scheme in upper case is another string.
  { id: 'acao-uppercase-scheme', title: 'ACAO with the scheme in upper case (HTTP://)', request: get, response: ok([[ACAO, 'HTTP://$ORIGIN_HOST:$ORIGIN_PORT']]) },
  // The port is part of the origin.
  { id: 'acao-other-port', title: 'ACAO names the right host on another port', request: get, response: ok([[ACAO, 'http://$ORIGIN_HOST:1']]) },
  { id: 'acao-https-scheme', title: 'ACAO names the https twin of an http page', request: get, response: ok([[ACAO, 'https://$ORIGIN_HOST:$ORIGIN_PORT']]) },
  // The page is on a non-default port, so the serialised origin keeps it.
  { id: 'acao-without-port', title: 'ACAO drops the page\'s port', request: get, response: ok([[ACAO, 'http://$ORIGIN_HOST']]) },
  // Origins compare as strings: no name resolution, so localhost and 127.0.0.1 differ.
  { id: 'acao-localhost-alias', title: 'ACAO says localhost for a 127.0.0.1 page', request: get, response: ok([[ACAO, 'http://localhost:$ORIGIN_PORT']]) },
  // Present but empty is not absent: it fails at the comparison (step 4), not the missing-header step.
  { id: 'acao-empty', title: 'ACAO present but empty', request: get, response: ok([[ACAO, '']]) },
  // Leading and trailing HTTP whitespace is stripped when the header is parsed, so this passes.
  { id: 'acao-surrounding-spaces', title: 'ACAO with spaces around the origin (trimmed by HTTP parsing)', request: get, response: ok([[ACAO, '  $ORIGIN  ']]) },
  // A tab is HTTP whitespace too, so it is stripped like the spaces above.
  { id: 'acao-surrounding-tab', title: 'ACAO with a tab before the origin', request: get, response: ok([[ACAO, '\t$ORIGIN']]) },
  { id: 'acao-quoted', title: 'ACAO origin in double quotes', request: get, response: ok([[ACAO, '"$ORIGIN"']]) },
  // Only `*` alone is a wildcard; patterns are compared literally.
  { id: 'acao-subdomain-wildcard', title: 'ACAO *.example.com pattern', request: get, response: ok([[ACAO, '*.example.com']]) },
  { id: 'acao-wildcard-host-pattern', title: 'ACAO http://*.0.0.1 pattern', request: get, response: ok([[ACAO, 'http://*.0.0.1:$ORIGIN_PORT']]) },
  { id: 'acao-with-path', title: 'ACAO is a URL with a path', request: get, response: ok([[ACAO, '$ORIGIN/app']]) },
  // Even identical lines combine into "a, a", which is not one origin.
  { id: 'acao-two-identical-lines', title: 'ACAO sent twice with the same origin', request: get, response: ok([[ACAO, '$ORIGIN'], [ACAO, '$ORIGIN']]) },
  { id: 'acao-star-and-origin-lines', title: 'ACAO * and the exact origin on two lines', request: get, response: ok([[ACAO, '*'], [ACAO, '$ORIGIN']]) },
  // A space is no list separator either: the whole value is compared.
  { id: 'acao-space-list', title: 'ACAO lists two origins separated by a space', request: get, response: ok([[ACAO, '$ORIGIN https://other.test']]) },
  // Header names are case-insensitive, unlike the value.
  { id: 'acao-lowercase-name', title: 'ACAO header name in lower case', request: get, response: ok([['access-control-allow-origin', '$ORIGIN']]) },
  { id: 'acao-double-star', title: 'ACAO **', request: get, response: ok([[ACAO, '**']]) },
  // Echoing Origin passes the check for any caller; the http-cache rows show its cost without Vary.
  { id: 'acao-reflected', title: 'ACAO reflects the request Origin (cors({ origin: true }))', request: get, response: ok([[ACAO, '$REQUEST_ORIGIN']]) },
  // Servers that keep an allow-list and print all of it: one value, so no entry of the list matches.
  { id: 'acao-three-values-match-third', title: 'ACAO "\"\", http://example.com, <page origin>" in one line', request: get, response: ok([[ACAO, '"", http://example.com, $ORIGIN']]), source: MULTIPLE },
  { id: 'acao-three-values-star-third', title: 'ACAO "\"\", http://example.com, *" in one line', request: get, response: ok([[ACAO, '"", http://example.com, *']]), source: MULTIPLE },
  { id: 'acao-three-lines-match-third', title: 'ACAO on three lines, the third is the page origin', request: get, response: ok([[ACAO, '""'], [ACAO, 'http://example.com'], [ACAO, '$ORIGIN']]), source: MULTIPLE },
  { id: 'acao-star-two-lines', title: 'ACAO * sent twice (combined as "*, *")', request: get, response: ok([[ACAO, '*'], [ACAO, '*']]), source: MULTIPLE },
  { id: 'acao-comma-credentials', title: 'Credentials, ACAO "<origin>, <origin>" in one line with ACAC true', request: req({ credentials: 'include' }), response: ok([[ACAO, '$ORIGIN, $ORIGIN'], [ACAC, 'true']]), source: MULTIPLE },
  // The preflight gets the same CORS check, so a list there fails before the actual request.
  { id: 'acao-comma-on-preflight', title: 'Preflight ACAO "<origin>, <origin>" in one line', request: put, preflight: pre([[ACAO, '$ORIGIN, $ORIGIN'], [ACAM, 'PUT']]), response: exact, source: MULTIPLE },
]);
