// FastAPI / Starlette with CORSMiddleware. Arguments from https://www.starlette.io/middleware/#corsmiddleware
// (FastAPI re-exports it: https://fastapi.tiangolo.com/tutorial/cors/), checked against Starlette
// 1.7's starlette/middleware/cors.py: `allow_origins` (exact strings; "*" sends `*`, and with
// `allow_credentials=True` answers every Origin with itself), `allow_origin_regex` (fullmatch:
// anchored at both ends, but its dots are regex dots), `allow_methods`, `allow_headers`,
// `allow_credentials`, `expose_headers`. It adds `Vary: Origin` to every answer it passes. Added
// with app.add_middleware it sits inside ServerErrorMiddleware, which sends the 500 of an unhandled
// exception (also through an exception handler for Exception or 500): that answer has no CORS
// headers; 404s and HTTPExceptions (ExceptionMiddleware, inside it) have them.
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
    errors: (p) => `Add CORSMiddleware with app.add_middleware (it then wraps the routes, 404s and HTTPException answers). An unhandled exception's 500 is sent by ServerErrorMiddleware outside it, even from an exception handler for Exception or 500: to give it the headers too, run the app wrapped last, app = CORSMiddleware(app, allow_origins=[${quoted(p.policy.allowedOrigins)}], ...) with the same arguments.`,
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove CORSMiddleware here.',
    allow: ({ endpoint }) => `List the allowed origins in allow_origins, allow_methods [${quoted(endpoint.methods)}]${endpoint.requestHeaders.length ? ` and allow_headers [${quoted(endpoint.requestHeaders)}]` : ''}${endpoint.credentials ? ', and set allow_credentials=True' : ''}.`,
  },
};
