// `npm test`: everything, from a fresh clone with nothing installed.
const path = require('path');
const { bin, build, ensureDependencies, main, run, step } = require('./run');
const { lint } = require('./lint');

main(async () => {
	ensureDependencies();
	build();
	step('Type-checking sources and tests');
	run(bin('tsc'), ['-p', 'tsconfig.test.json']);
	await lint({ skipBuild: true });
	step('Unit, emulator and in-process n8n tests (jest)');
	run(bin('jest'), ['--ci', ...process.argv.slice(2)]);
	step('End-to-end tests in real n8n 2.41.1 (installed into a cache folder on first use)');
	run(process.execPath, [path.join(__dirname, 'e2e.js')]);
});
