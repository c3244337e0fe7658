// `npm start`: real n8n with this package installed, the example workflows imported, and an
// Ollama to talk to (yours at OLLAMA_HOST, or the emulator when nothing answers there).
// Data stays in ~/.n8n-nodes-ollama (N8N_OLLAMA_HOME), so your workflows survive restarts.
const fs = require('fs');
const os = require('os');
const path = require('path');

const { build, ensureDependencies, main, step } = require('./run');
const { startEmulatorProcess } = require('./n8n/emulator');
const {
	N8nInstance,
	chatPaths,
	exampleCredentials,
	exampleWorkflows,
	isListening,
	provision,
	request,
	startN8n,
	stopAll,
	webhookPaths,
} = require('./n8n');

const home = process.env.N8N_OLLAMA_HOME || path.join(os.homedir(), '.n8n-nodes-ollama');
const preferredPort = Number(process.env.N8N_PORT || 5678);

/** OLLAMA_HOST as Ollama reads it: scheme and port optional (http, 11434). */
function ollamaUrl(value = 'http://127.0.0.1:11434') {
	const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `http://${value}`;
	const url = new URL(withScheme);
	if (!url.port && url.protocol === 'http:') url.port = '11434';
	return url.origin;
}

async function answersAsOllama(baseUrl) {
	try {
		const { status, body } = await request(`${baseUrl}/api/version`, { timeoutMs: 2000 });
		return status === 200 && typeof JSON.parse(body).version === 'string';
	} catch {
		return false;
	}
}

/** Imports the examples this folder has not seen yet (edits you made to earlier ones stay). */
async function importNewExamples(instance) {
	const seenFile = path.join(home, 'imported-examples.json');
	const seen = fs.existsSync(seenFile) ? JSON.parse(fs.readFileSync(seenFile, 'utf8')) : [];
	const fresh = exampleWorkflows().filter((example) => !seen.includes(example.id));
	if (fresh.length === 0) return;
	step(`Importing ${fresh.length} example workflow(s)`);
	await instance.importWorkflows(fresh.map((example) => example.file));
	for (const example of fresh) {
		// Webhook and chat examples are published at once, so their URLs answer (you can unpublish them).
		if (isPublished(example)) await instance.publishWorkflow(example.id);
	}
	fs.writeFileSync(seenFile, JSON.stringify([...seen, ...fresh.map((e) => e.id)], null, '\t'));
}

const isPublished = (example) =>
	webhookPaths(example.workflow).length + chatPaths(example.workflow).length > 0;

/** What to send to each example webhook (by path) to try it. */
const sampleBodies = (pullModel) => ({
	'ollama-pull': { model: pullModel },
	'ollama-chat': { message: 'Why is the sky blue? Answer in two sentences.' },
});

main(async () => {
	const services = [];
	let stopping = false;
	const shutdown = async (reason, exitCode = 0) => {
		if (stopping) return;
		stopping = true;
		console.log(
			`\n${reason}: stopping what npm start started (${services.map((s) => s.name).join(', ')})`,
		);
		await stopAll(services.slice().reverse());
		console.log('Stopped.');
		process.exit(exitCode);
	};
	process.once('SIGINT', () => shutdown('Ctrl-C'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
	try {
		ensureDependencies();
		build();
		step('n8n (installed once into a cache folder outside the repository)');
		const n8n = provision();

		step(`n8n user folder ${home}`);
		const passThrough = Object.fromEntries(
			Object.entries(process.env).filter(
				([key]) => key.startsWith('N8N_') && !['N8N_USER_FOLDER', 'N8N_PORT'].includes(key),
			),
		);
		const instance = new N8nInstance({ userFolder: home, env: passThrough, n8n });
		console.log(`Package installed in ${instance.installPackage()}`);

		let baseUrl = ollamaUrl(process.env.OLLAMA_HOST);
		// A model to pull in the webhook example: small on a real server, remote in the emulator.
		let pullExample = 'all-minilm';
		if (await answersAsOllama(baseUrl)) {
			console.log(`Ollama answers at ${baseUrl}: the credential points there.`);
		} else {
			step(`Nothing answers as Ollama at ${baseUrl}: starting the Ollama emulator instead`);
			const emulator = await startEmulatorProcess([
				'--pull-interval-ms',
				'200',
				// Tokens at a readable pace, so streaming shows.
				'--token-ms',
				'60',
			]);
			services.push(emulator);
			baseUrl = emulator.url;
			pullExample = 'mistral';
			console.log(
				`The emulator (deterministic fake models, no real inference) listens on ${baseUrl};\n` +
					'the credential points at it. Start Ollama (or set OLLAMA_HOST) and rerun npm start to use a real server.',
			);
		}
		const credentials = exampleCredentials(baseUrl);
		step(`Credentials ${credentials.map((c) => `"${c.name}" → ${c.data.baseUrl}`).join(', ')}`);
		await instance.importCredentials(credentials);
		await importNewExamples(instance);

		const port = (await isListening(preferredPort)) ? undefined : preferredPort;
		if (port === undefined)
			console.log(`Port ${preferredPort} is taken: using a free port instead.`);
		step('Starting n8n (Ctrl-C stops it)');
		const server = await startN8n(instance, { port, ui: true, echo: true, timeoutMs: 180000 });
		services.push(server);
		server.child.once('exit', () => shutdown(`n8n ${server.exited}`, 1));
		const hooks = exampleWorkflows().flatMap((e) => webhookPaths(e.workflow));
		const chats = exampleWorkflows().flatMap((e) => chatPaths(e.workflow));
		const bodies = sampleBodies(pullExample);
		console.log(
			[
				'',
				`  n8n is ready: open ${server.url}`,
				'  (the first time, n8n asks you to create an owner account; it stays on this machine)',
				`  Workflows: ${exampleWorkflows()
					.map((e) => `"${e.name}"`)
					.join(', ')}`,
				...hooks.map(
					(hook) =>
						`  Webhook: curl -N -X ${hook.method} ${server.url}/webhook/${hook.path} -H 'Content-Type: application/json' -d '${JSON.stringify(bodies[hook.path] ?? {})}'`,
				),
				...chats.map((chat) => `  Chat:    ${server.url}/webhook/${chat} (streams the answer)`),
				`  Data: ${home}   Ollama: ${baseUrl}`,
				'  Ctrl-C stops everything npm start started.',
				'',
			].join('\n'),
		);
	} catch (error) {
		await stopAll(services.slice().reverse());
		throw error;
	}
});
