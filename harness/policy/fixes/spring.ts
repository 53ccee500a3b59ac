// Spring MVC / Spring Boot. The global configuration from
// https://docs.spring.io/spring-framework/reference/web/webmvc-cors.html#mvc-cors-global:
// `CorsRegistry.addMapping(...)` with `allowedOrigins` (exact; `allowedOriginPatterns` takes
// wildcards), `allowedMethods`, `allowedHeaders`, `exposedHeaders`, `allowCredentials`. Spring's
// DefaultCorsProcessor adds `Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers`.
import { pathPrefix, quoted, type StackFixRow } from './stack-fix.ts';

export const SPRING: StackFixRow = {
  label: 'Spring (CorsRegistry)',
  library: 'Spring Framework CORS',
  docs: 'https://docs.spring.io/spring-framework/reference/web/webmvc-cors.html#mvc-cors-global',
  language: 'java',
  config: ({ policy, endpoint }) => [
    '@Configuration',
    'public class CorsConfig implements WebMvcConfigurer {',
    '    @Override',
    '    public void addCorsMappings(CorsRegistry registry) {',
    `        registry.addMapping(${JSON.stringify(`${pathPrefix(endpoint)}**`)})`,
    `            .allowedOrigins(${quoted(policy.allowedOrigins)}) // exact: no allowedOriginPatterns("*")`,
    `            .allowedMethods(${quoted(endpoint.methods)})`,
    ...(endpoint.requestHeaders.length ? [`            .allowedHeaders(${quoted(endpoint.requestHeaders)})`] : []),
    ...(endpoint.exposedHeaders.length ? [`            .exposedHeaders(${quoted(endpoint.exposedHeaders)})`] : []),
    `            .allowCredentials(${endpoint.credentials});`,
    '    }',
    '}',
    '// With Spring Security, also http.cors(Customizer.withDefaults()) so the preflight passes its filters.',
  ].join('\n'),
  change: {
    origins: ({ policy }) => `Use .allowedOrigins(${quoted(policy.allowedOrigins)}); remove allowedOriginPatterns("*") and any @CrossOrigin(origins = "*") on controllers.`,
    credentials: () => 'allowCredentials(true) needs exact allowedOrigins; Spring rejects "*" with credentials, so do not replace it with allowedOriginPatterns("*").',
    vary: () => 'Let Spring\'s CORS processing set the headers (it adds Vary: Origin); a filter that writes them by hand must add Vary: Origin too.',
    expose: ({ endpoint }) => `Add .exposedHeaders(${quoted(endpoint.exposedHeaders)}).`,
    errors: () => 'Configure CORS globally (addCorsMappings or a CorsFilter bean) rather than @CrossOrigin on controllers, so error answers from /error carry the headers; with Spring Security, http.cors(...).',
    duplicate: () => 'Send the CORS headers from one layer: hide the proxy\'s, or remove the CORS mapping here.',
    allow: ({ endpoint }) => `Map the path and list .allowedMethods(${quoted(endpoint.methods)})${endpoint.requestHeaders.length ? ` and .allowedHeaders(${quoted(endpoint.requestHeaders)})` : ''}; with Spring Security, http.cors(...) so OPTIONS is not refused.`,
  },
};
