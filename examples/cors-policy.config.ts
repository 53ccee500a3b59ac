// The typed form of examples/cors-policy.json: CORS_POLICY=examples/cors-policy.config.ts npx playwright test
// definePolicy() only adds types (completion, errors in the editor); the run validates it like the JSON.
import { definePolicy } from '../harness/policy/define.ts';

export default definePolicy({
  target: 'http://127.0.0.1:8080',
  allowedOrigins: ['https://example.com', 'https://frontend.com'],
  endpoints: [
    {
      path: '/api/data',
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      requestHeaders: ['Content-Type', 'Authorization'],
      credentials: true,
      exposedHeaders: ['X-Request-Id'],
    },
  ],
  blockedOrigins: ['https://partner-old.example.net'],
  allowSubdomains: false,
  // Chromium without the local-network-access permission, as a production browser:
  // localNetworkAccess: 'deny',
});
