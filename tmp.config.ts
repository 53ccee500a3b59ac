import { defineConfig } from '@playwright/test';
export default defineConfig({ testDir: '/work/main/specs', testMatch: 'tmp-*.spec.ts', workers: 3, reporter: 'list',
  projects: [{ name: 'chromium', use: { engineId: 'chromium' } as any }, { name: 'firefox', use: { engineId: 'firefox' } as any }, { name: 'webkit', use: { engineId: 'webkit' } as any }] });
