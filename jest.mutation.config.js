// The tests Stryker runs against each mutant of the client core: the unit tests of the core and
// the transport, credential and security tests that drive it through n8n's request helper.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	roots: ['<rootDir>/test'],
	testMatch: [
		'<rootDir>/test/shared/**/*.test.ts',
		'<rootDir>/test/core/**/*.test.ts',
		'<rootDir>/test/credentials/**/*.test.ts',
		'<rootDir>/test/security/**/*.test.ts',
	],
};
