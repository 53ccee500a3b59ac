// FastAPI / Starlette with CORSMiddleware. Arguments from https://www.starlette.io/middleware/#corsmiddleware
// (FastAPI re-exports it: https://fastapi.tiangolo.com/tutorial/cors/): `allow_origins` (exact
// strings), `allow_origin_regex`, `allow_methods`, `allow_headers`, `allow_credentials`,
// `expose_headers`. It adds `Vary: Origin` when the answer depends on the Origin.
import { quoted, type StackFixRow } from './stack-fix.ts';

export const STARLETTE: StackFixRow = {
  label: 'FastAPI / Starlette (CORSMiddleware)',
  library: 'starlette.middleware.cors.CORSMiddleware',
  docs: 'https://www.starlette.io/middleware/#corsmiddleware',
  language: 'python',
  config: ({ policy, endpoint }) => [
    'from fastapi.middleware.cors import CORSMiddleware',
    '',
    'app.add_middleware(',
    '    CORSMiddleware,',
    `    allow_origins=[${quoted(policy.allowedOrigins)}],  # exact: never ["*"] with credentials, no loose allow_origin_regex`,
    `    allow_credentials=${endpoint.credentials ? 'True' : 'False'},`,
    `    allow_methods=[${quoted(endpoint.methods)}],`,
    ...(endpoint.requestHeaders.length ? [`    allow_headers=[${quoted(endpoint.requestHeaders)}],`] : []),
    ...(endpoint.exposedHeaders.length ? [`    expose_headers=[${quoted(endpoint.exposedHeaders)}],`] : []),
    ')',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Set allow_origins=[${quoted(policy.allowedOrigins)}] and drop allow_origin_regex (or anchor it and escape its dots).`,
    credentials: ({ policy }) => `allow_credentials=True needs allow_origins=[${quoted(policy.allowedOrigins)}], not ["*"].`,
    vary: () => 'Let CORSMiddleware set Access-Control-Allow-Origin (it adds Vary: Origin); a hand-written header needs response.headers.append("Vary", "Origin").',
    expose: ({ endpoint }) => `Add expose_headers=[${quoted(endpoint.exposedHeaders)}].`,
    errors: () => 'Add CORSMiddleware with app.add_middleware (it then wraps the routes and HTTPException answers); an unhandled exception\'s 500 is answered outside it, so catch it with an exception handler that returns a response.',
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove CORSMiddleware here.',
    allow: ({ endpoint }) => `List the allowed origins in allow_origins, allow_methods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allow_headers [${quoted(endpoint.requestHeaders)}]` : ''}.`,
  },
};
