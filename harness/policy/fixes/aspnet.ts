// ASP.NET Core's CORS middleware. Builder methods from https://learn.microsoft.com/aspnet/core/security/cors:
// `AddCors`/`AddPolicy`, `WithOrigins` (exact), `WithMethods`, `WithHeaders`, `WithExposedHeaders`,
// `AllowCredentials`; `UseCors` after `UseRouting` and before `UseAuthorization`.
// `SetIsOriginAllowed(_ => true)` is the reflection to avoid.
import { quoted, type StackFixRow } from './stack-fix.ts';

export const ASPNET: StackFixRow = {
  label: 'ASP.NET Core (CORS middleware)',
  library: 'Microsoft.AspNetCore.Cors',
  docs: 'https://learn.microsoft.com/aspnet/core/security/cors',
  language: 'csharp',
  config: ({ policy, endpoint }) => [
    'builder.Services.AddCors(options => options.AddPolicy("api", policy => policy',
    `    .WithOrigins(${quoted(policy.allowedOrigins)}) // exact: no AllowAnyOrigin, no SetIsOriginAllowed(_ => true)`,
    `    .WithMethods(${quoted(endpoint.methods)})`,
    ...(endpoint.requestHeaders.length ? [`    .WithHeaders(${quoted(endpoint.requestHeaders)})`] : []),
    ...(endpoint.exposedHeaders.length ? [`    .WithExposedHeaders(${quoted(endpoint.exposedHeaders)})`] : []),
    ...(endpoint.credentials ? ['    .AllowCredentials()'] : []),
    '));',
    '// ...',
    'app.UseRouting();',
    'app.UseCors("api"); // after UseRouting, before UseAuthentication/UseAuthorization',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Use .WithOrigins(${quoted(policy.allowedOrigins)}); remove AllowAnyOrigin() and SetIsOriginAllowed(...) that accepts more than these.`,
    credentials: () => 'AllowCredentials() needs WithOrigins(...) with exact origins; AllowAnyOrigin() with it is refused.',
    vary: () => 'Let the CORS middleware set the headers (it adds Vary: Origin).',
    expose: ({ endpoint }) => `Add .WithExposedHeaders(${quoted(endpoint.exposedHeaders)}).`,
    errors: () => 'Call app.UseCors("api") early (after UseRouting), before UseAuthorization and the endpoints, and do not clear the response headers in an exception handler.',
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove UseCors here.',
    allow: ({ endpoint }) => `Add the origins, .WithMethods(${quoted(endpoint.methods)})${endpoint.requestHeaders.length ? ` and .WithHeaders(${quoted(endpoint.requestHeaders)})` : ''}, and UseCors before UseAuthorization so the preflight is answered.`,
  },
};
