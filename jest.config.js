/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test', '<rootDir>/nodes', '<rootDir>/credentials'],
	testMatch: ['**/*.test.ts'],
	// Real-n8n tests run on their own (jest.e2e.config.js), after the in-process ones.
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	// Type checking runs once in `npm test` (tsc -p tsconfig.test.json); jest only transpiles.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 30000,
	globalSetup: '<rootDir>/test/harness/globalSetup.js',
	globalTeardown: '<rootDir>/test/harness/globalTeardown.js',
};
