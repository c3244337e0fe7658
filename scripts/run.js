// Small helpers shared by the project scripts. Plain Node, no dependencies: these scripts run
// on a fresh clone before anything is installed (npm's pre-hooks are off: ignore-scripts=true).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
	if (result.error) throw result.error;
	if (result.status !== 0) {
		const error = new Error(
			`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`,
		);
		error.exitCode = result.status ?? 1;
		throw error;
	}
	return result;
}

function step(title) {
	process.stdout.write(`\n▶ ${title}\n`);
}

/** Installs the devDependencies when node_modules is missing or older than the lockfile. */
function ensureDependencies() {
	const marker = path.join(root, 'node_modules', '.package-lock.json');
	const lock = path.join(root, 'package-lock.json');
	const fresh =
		fs.existsSync(marker) &&
		(!fs.existsSync(lock) || fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs);
	if (fresh) return;
	step('Installing devDependencies (npm ci)');
	run('npm', [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

/** Compiles the package into dist/ (tsc, then icons via gulp). */
function build() {
	step('Building the package (tsc + gulp build:icons)');
	fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
	run(bin('tsc'), ['-p', 'tsconfig.json']);
	run(bin('gulp'), ['build:icons']);
}

/** Compiles the emulator (test/emulator) into .build/. */
function buildEmulator() {
	run(bin('tsc'), ['-p', 'tsconfig.emulator.json']);
	return path.join(root, '.build', 'test', 'emulator', 'cli.js');
}

function main(fn) {
	Promise.resolve()
		.then(fn)
		.catch((error) => {
			console.error(`\n✖ ${error.message}`);
			process.exit(error.exitCode ?? 1);
		});
}

module.exports = { root, bin, run, step, ensureDependencies, build, buildEmulator, main };
