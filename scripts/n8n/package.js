// Installs the built package into an n8n user folder the way `npm install n8n-nodes-ollama` in
// ~/.n8n/nodes leaves it: the files `npm pack` would ship, in nodes/node_modules/<name>.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

/** The files `npm pack` would put in the tarball (paths relative to the repository root). */
function packedFiles() {
	const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`npm pack --dry-run failed:\n${result.stderr}`);
	const [pack] = JSON.parse(result.stdout);
	return pack.files.map((file) => file.path);
}

/**
 * Copies the package into `<userFolder>/.n8n/nodes/node_modules/<name>` (replacing an older
 * copy) and records it in nodes/package.json. Returns the installed folder.
 */
function installPackage(userFolder) {
	const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const missing = (manifest.n8n?.nodes ?? [])
		.concat(manifest.n8n?.credentials ?? [])
		.filter((file) => !fs.existsSync(path.join(root, file)));
	if (missing.length) {
		throw new Error(`the package is not built (missing ${missing.join(', ')}): run npm run build`);
	}
	const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesFolder, 'node_modules', manifest.name);
	fs.rmSync(target, { recursive: true, force: true });
	for (const file of packedFiles()) {
		fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
		fs.copyFileSync(path.join(root, file), path.join(target, file));
	}
	const nodesManifest = path.join(nodesFolder, 'package.json');
	const current = fs.existsSync(nodesManifest)
		? JSON.parse(fs.readFileSync(nodesManifest, 'utf8'))
		: { name: 'installed-nodes', private: true };
	current.dependencies = { ...current.dependencies, [manifest.name]: manifest.version };
	fs.writeFileSync(nodesManifest, JSON.stringify(current, null, 2) + '\n');
	return target;
}

module.exports = { installPackage, packedFiles, root };
