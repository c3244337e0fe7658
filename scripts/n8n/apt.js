// Debian packages the scripts need (redis-server, chromium), installed with apt-get when missing:
// CI machines are fresh and the scripts run as root there; elsewhere sudo is used.
const { spawnSync } = require('child_process');

function aptGet(args) {
	const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
	return spawnSync(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
}

/**
 * What `find()` returns, installing Debian's `pkg` first when it finds nothing (with an
 * `apt-get update` and a second try when the package lists are stale). The program found is
 * proven to run (`<program> --version`) before it is used, installed just now or not.
 */
function ensureDebianPackage(label, pkg, find, installArgs = []) {
	const existing = find();
	if (existing) return proveRuns(label, pkg, existing);
	process.stdout.write(`[${label}] ${pkg} is missing: apt-get install -y ${pkg}\n`);
	const install = () => aptGet(['install', '-y', ...installArgs, pkg]);
	if (install().status !== 0 || !find()) {
		aptGet(['update']);
		install();
	}
	const installed = find();
	if (!installed) throw new Error(`could not install ${pkg} (apt-get install -y ${pkg})`);
	return proveRuns(label, pkg, installed);
}

function proveRuns(label, pkg, program) {
	const result = spawnSync(program, ['--version'], { encoding: 'utf8', timeout: 60000 });
	const version = (result.stdout ?? '').trim().split('\n')[0];
	if (result.status !== 0 || version === '') {
		const why =
			(result.stderr ?? '').trim().split('\n')[0] ||
			result.error?.message ||
			`exit ${result.status}`;
		throw new Error(
			`${program} does not run (${why}). Reinstall it: apt-get install --reinstall -y ${pkg}`,
		);
	}
	process.stdout.write(`[${label}] ${version}\n`);
	return program;
}

module.exports = { ensureDebianPackage };
