// `npm run test:provision`: provisions n8n into an empty cache folder the way a user's first
// `npm test` / `npm start` does (under npm, so the project's .npmrc reaches it as npm_config_*),
// then checks, without trusting the marker, that Node 24 loads the native modules and that n8n
// opens its database; then breaks the cache and checks the next run repairs it. About 7 minutes
// and 3 GB in a temporary folder (set N8N_OLLAMA_PROVISION_TEST_DIR to choose where); not part of npm test.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { main, root, run, step } = require('./run');
const { n8nDatabaseProblem, paths, sqliteProblem } = require('./n8n/provision');

main(async () => {
	const parent = process.env.N8N_OLLAMA_PROVISION_TEST_DIR || os.tmpdir();
	const dir = fs.mkdtempSync(path.join(parent, 'n8n-ollama-provision-test-'));
	const env = { ...process.env, N8N_OLLAMA_CACHE: dir };
	const provision = () => run('npm', ['run', '--silent', 'provision'], { cwd: root, env });
	try {
		step(`First run into an empty cache: ${dir}`);
		const started = Date.now();
		provision();
		console.log(`first run: ${Math.round((Date.now() - started) / 1000)} s`);
		expectUsable(dir);

		step('Second run: reuses the cache after probing it');
		provision();

		step('A cache marked ready whose sqlite3 build is gone: the next run repairs it');
		const build = path.join(dir, 'n8n', 'node_modules', 'sqlite3', 'build');
		fs.rmSync(build, { recursive: true, force: true });
		if (!sqliteProblem(dir)) throw new Error('removing the sqlite3 build did not break the cache');
		provision();
		expectUsable(dir);
		console.log('\n✔ provisioning works from an empty cache, and repairs a broken one');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

function expectUsable(dir) {
	const problem = sqliteProblem(dir) ?? n8nDatabaseProblem(dir);
	if (problem) throw new Error(`the provisioned cache does not work: ${problem}`);
	console.log(`✔ Node 24 loads sqlite3 and n8n ${paths(dir).n8nVersion} opens its database`);
}
