// Long-running n8n processes for an N8nInstance: the main process (`n8n start`, editor and
// webhooks) and queue-mode workers (`n8n worker`). Each listens on free ports and is stopped by PID.
const { request, waitFor } = require('./http');
const { freePorts } = require('./ports');
const { startService } = require('./processes');

/** Queue-mode variables for main and workers alike (Bull on the given Redis). */
const queueEnv = (redisPort) => ({
	EXECUTIONS_MODE: 'queue',
	QUEUE_BULL_REDIS_HOST: '127.0.0.1',
	QUEUE_BULL_REDIS_PORT: redisPort,
});

/**
 * Starts `n8n start` and waits until /healthz/readiness answers 200.
 * @param {import('./instance').N8nInstance} instance
 * @param {object} [o]
 * @param {number} [o.port]       default: a free port
 * @param {boolean} [o.ui]        serve the editor (default false: N8N_DISABLE_UI)
 * @param {number} [o.redisPort]  queue mode when given
 * @param {boolean} [o.echo]      copy n8n's output to the terminal
 * @returns the service plus `url` (http://127.0.0.1:port)
 */
async function startN8n(
	instance,
	{ port, ui = false, redisPort, echo = false, timeoutMs = 90000 } = {},
) {
	const [freeMain, broker] = await freePorts(2);
	const listen = port ?? freeMain;
	const env = instance.env({
		N8N_PORT: listen,
		N8N_RUNNERS_BROKER_PORT: broker,
		N8N_DISABLE_UI: ui ? 'false' : 'true',
		N8N_LOG_LEVEL: process.env.N8N_OLLAMA_LOG_LEVEL ?? 'info',
		...(ui ? { N8N_EDITOR_BASE_URL: `http://127.0.0.1:${listen}` } : {}),
		...(redisPort ? queueEnv(redisPort) : {}),
	});
	return await startReady(instance, 'n8n', ['start'], {
		env,
		port: listen,
		log: 'n8n',
		echo,
		timeoutMs,
	});
}

/** Starts `n8n worker` for queue mode and waits until its health endpoint is ready. */
async function startWorker(
	instance,
	{ redisPort, concurrency = 2, echo = false, timeoutMs = 90000 },
) {
	const [broker, health] = await freePorts(2);
	const env = instance.env({
		...queueEnv(redisPort),
		N8N_RUNNERS_BROKER_PORT: broker,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: health,
		N8N_LOG_LEVEL: process.env.N8N_OLLAMA_LOG_LEVEL ?? 'info',
	});
	return await startReady(instance, 'n8n worker', ['worker', `--concurrency=${concurrency}`], {
		env,
		port: health,
		log: 'worker',
		echo,
		timeoutMs,
	});
}

/** Starts an n8n command as a service logging to `<log>-<port>.log`, then waits for its readiness endpoint. */
async function startReady(instance, name, commandArgs, { env, port, log, echo, timeoutMs }) {
	const [command, args] = instance.command(commandArgs);
	const service = startService(name, command, args, {
		env,
		cwd: instance.userFolder,
		logFile: instance.logFile(`${log}-${port}`),
		echo,
	});
	service.url = `http://127.0.0.1:${port}`;
	const url = `${service.url}/healthz/readiness`;
	try {
		await waitFor(
			`${service.name} (PID ${service.pid})`,
			async () => (await request(url, { timeoutMs: 2000 })).status === 200,
			{ timeoutMs, abort: () => service.exited },
		);
	} catch (error) {
		await service.stop();
		error.message += `\n--- last output of ${service.name} ---\n${service.output().slice(-4000)}`;
		throw error;
	}
	return service;
}

/**
 * Waits until the production webhook at `path` is registered (readiness comes a moment before
 * active workflows are). Probes with a GET without triggering anything: n8n answers 404 for an
 * unknown path, and for a known path registered for another method 404 "…Did you mean to make
 * a POST request?". (OPTIONS answers 204 for any path; HEAD bodies are empty.)
 */
async function waitForWebhook(service, path, { timeoutMs = 30000 } = {}) {
	const url = `${service.url}/webhook/${path}`;
	await waitFor(
		`webhook ${url}`,
		async () => {
			const { status, body } = await request(url, { timeoutMs: 2000 });
			return status !== 404 || body.includes('Did you mean to make a');
		},
		{ timeoutMs, abort: () => service.exited },
	);
	return url;
}

module.exports = { startN8n, startWorker, waitForWebhook, queueEnv };
