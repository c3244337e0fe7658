// n8n's verification, offline: the community-node ESLint rules on the sources, then the
// scanner's own analyzePackage on the sources and on the package as npm would publish it.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { bin, build, ensureDependencies, main, root, run, step } = require('./run');

async function scan(dir, patterns, label) {
	const { analyzePackage } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const result = await analyzePackage(dir, patterns);
	if (!result.passed) {
		console.error(result.details ?? result.message);
		throw new Error(`n8n's package scanner failed on ${label}`);
	}
	console.log(`n8n scanner: ${label} passed`);
}

async function lint({ skipBuild = false } = {}) {
	step('ESLint with n8n community-node rules (nodes, credentials, package.json)');
	run(bin('eslint'), ['nodes', 'credentials', 'package.json', 'index.ts']);

	step('Prettier check');
	run(bin('prettier'), ['--check', '.']);

	if (!skipBuild) build();
	step("n8n's scanner (analyzePackage) on the sources and on the packed package");
	const { SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	await scan(root, SOURCE_FILE_PATTERNS, 'sources');

	const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-ollama-pack-'));
	try {
		run('npm', ['pack', '--silent', '--pack-destination', stage], {
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		const tarball = fs.readdirSync(stage).find((name) => name.endsWith('.tgz'));
		run('tar', ['-xzf', path.join(stage, tarball), '-C', stage]);
		await scan(path.join(stage, 'package'), ['**/*.js', 'package.json'], 'packed package');
	} finally {
		fs.rmSync(stage, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main(() => {
		ensureDependencies();
		return lint();
	});
}

module.exports = { lint };
