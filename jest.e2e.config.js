// Real-n8n tests (test/e2e): `npm run test:e2e` (scripts/e2e.js) provisions n8n, builds and runs
// them one file at a time. The quick jest run (jest.config.js) skips them.
process.env.N8N_OLLAMA_E2E = '1';

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	// n8n commands take seconds each (a fresh sqlite database is migrated on the first one).
	testTimeout: 180000,
	maxWorkers: 1,
};
