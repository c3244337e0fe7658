// `npm run test:e2e`: the package in real n8n 2.41.1 (installed once into a cache folder outside
// the repository, see scripts/n8n/provision.js), against the Ollama emulator. Extra arguments go
// to jest, e.g. `npm run test:e2e -- -t streaming`.
const { bin, build, ensureDependencies, main, run, step } = require('./run');
const { ensureChromium } = require('./n8n/browser');
const { ensureRedis } = require('./n8n/redis');
const { provision } = require('./n8n/provision');

main(async () => {
	ensureDependencies();
	build();
	step('n8n for the end-to-end tests');
	provision();
	ensureRedis();
	ensureChromium();
	step('End-to-end tests in real n8n (jest -c jest.e2e.config.js)');
	run(bin('jest'), ['-c', 'jest.e2e.config.js', '--runInBand', '--ci', ...process.argv.slice(2)]);
});
