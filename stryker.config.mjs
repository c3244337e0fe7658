// Mutation testing of the client core's pure modules: `npm run mutation` (not in CI: on two
// cores it takes tens of minutes). The HTML and JSON reports go to reports/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'jest',
	jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.test.json',
	mutate: [
		'nodes/core/ndjson.ts',
		'nodes/core/tokenLine.ts',
		'nodes/core/aggregate.ts',
		'nodes/core/failures.ts',
		'nodes/core/retry.ts',
		'nodes/core/url.ts',
		'nodes/core/keepAlive.ts',
		'nodes/core/transport.ts',
		'nodes/core/idleWatch.ts',
	],
	coverageAnalysis: 'perTest',
	concurrency: 2,
	timeoutMS: 20000,
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/index.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	tempDirName: '.stryker-tmp',
	cleanTempDir: true,
};
