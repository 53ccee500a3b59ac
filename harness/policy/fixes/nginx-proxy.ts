// nginx as a reverse proxy in front of an app. nginx passes the app's own Access-Control-* headers
// through, and `add_header` adds its own: two Access-Control-Allow-Origin headers, which every
// engine refuses. `proxy_hide_header` drops the app's copies
// (http://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header); the alternative is
// to remove CORS from the app and keep nginx's.
import { CORS_RESPONSE_HEADERS, type StackFixRow } from './stack-fix.ts';
import { NGINX_CHANGE, nginxBlocks } from './nginx.ts';

const HIDE = CORS_RESPONSE_HEADERS.map((h) => `    proxy_hide_header ${h};`);

export const NGINX_PROXY: StackFixRow = {
  label: 'nginx in front of an app',
  library: 'ngx_http_proxy_module',
  docs: 'http://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header',
  language: 'nginx',
  config: (p) => nginxBlocks(p, [
    '    # Next to your proxy_pass. The app\'s own CORS headers would make each one appear twice: nginx alone sends them.',
    '    # (Or remove CORS from the app and drop these add_header lines instead.)',
    ...HIDE,
  ]),
  change: {
    ...NGINX_CHANGE,
    duplicate: () => `The app behind proxy_pass sends its own CORS headers and nginx adds its own. In the location, hide the app's: ${CORS_RESPONSE_HEADERS.map((h) => `proxy_hide_header ${h};`).join(' ')} Or remove the add_header lines here and let the app alone send them.`,
  },
};
