// The Ollama emulator as a separate process (for `npm start`): compiled CLI, free port.
const { buildEmulator } = require('../run');
const { waitFor } = require('./http');
const { startService } = require('./processes');

/** Compiles and starts the emulator; the service has `url`. `args` are extra CLI flags. */
async function startEmulatorProcess(args = []) {
	const cli = buildEmulator();
	const service = startService('Ollama emulator', process.execPath, [cli, '--port', '0', ...args]);
	try {
		service.url = await waitFor(
			'Ollama emulator',
			() => service.output().match(/listening on (http:\/\/\S+)/)?.[1],
			{ timeoutMs: 20000, intervalMs: 50, abort: () => service.exited },
		);
	} catch (error) {
		await service.stop();
		error.message += `\n${service.output()}`;
		throw error;
	}
	return service;
}

module.exports = { startEmulatorProcess };
