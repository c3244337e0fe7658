// Debian's redis-server on 127.0.0.1 and a free port, for n8n's queue mode. Installed with apt
// when missing (CI machines are fresh; the scripts run as root there).
const { spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const { ensureDebianPackage } = require('./apt');
const { waitFor } = require('./http');
const { freePort } = require('./ports');
const { startService } = require('./processes');

function findRedis() {
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The redis-server binary, installing Debian's package if needed. */
function ensureRedis() {
	return ensureDebianPackage('redis', 'redis-server', findRedis, ['--no-install-recommends']);
}

/** Sends PING, true on +PONG. */
function ping(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		let answer = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => {
			answer += data.toString();
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG')));
		socket.on('error', () => resolve(false));
	});
}

/** Starts a throw-away redis-server (no persistence); the service has `port`. */
async function startRedis() {
	const binary = ensureRedis();
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ollama-redis-'));
	const service = startService(
		'redis-server',
		binary,
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ cwd: dir },
	);
	service.port = port;
	const stop = service.stop;
	service.stop = async (timeoutMs) => {
		await stop(timeoutMs);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitFor('redis-server', () => ping(port), {
			timeoutMs: 15000,
			abort: () => service.exited,
		});
	} catch (error) {
		await service.stop();
		error.message += `\n${service.output()}`;
		throw error;
	}
	return service;
}

module.exports = { startRedis, ensureRedis };
