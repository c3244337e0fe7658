// `node scripts/browser.js`: the editor check in a real browser, and the README's screenshot.
// Starts the Ollama emulator and n8n with the editor (fresh user folder, this package, the
// examples), completes the owner setup, opens example 2 and its Ollama Generate node, checks
// that its parameters render and its model list shows the emulator's models, and saves
// docs/editor-generate-node.png. The same check runs in `npm run test:e2e` (test/e2e/editor.test.ts),
// which keeps its screenshot out of the repository.
const path = require('path');

const { build, ensureDependencies, main, root, step } = require('./run');
const { startEmulatorProcess } = require('./n8n/emulator');
const { checkEditor, ensureChromium } = require('./n8n/browser');
const {
	N8nInstance,
	exampleCredential,
	exampleWorkflows,
	provision,
	startN8n,
	stopAll,
} = require('./n8n');

const screenshot = path.resolve(
	process.argv[2] ?? path.join(root, 'docs', 'editor-generate-node.png'),
);

main(async () => {
	const services = [];
	let instance;
	try {
		ensureDependencies();
		build();
		step('n8n and chromium');
		provision();
		console.log(`chromium: ${ensureChromium()}`);

		step('Ollama emulator, a fresh n8n user folder with this package and the examples');
		const emulator = await startEmulatorProcess();
		services.push(emulator);
		instance = N8nInstance.temporary('n8n-ollama-browser-');
		instance.installPackage();
		await instance.importCredentials([exampleCredential(emulator.url)]);
		await instance.importWorkflows(exampleWorkflows().map((example) => example.file));

		step('n8n with the editor');
		const server = await startN8n(instance, { ui: true, timeoutMs: 180000 });
		services.push(server);

		step('The editor in chromium: owner setup, example 2, its Ollama Generate node');
		const result = await checkEditor({
			baseUrl: server.url,
			workflowId: 'ollamaBatchSum02',
			nodeName: 'Summarize',
			expectParameters: ['model', 'prompt', 'concurrency'],
			expectModels: ['llama3.2:latest', 'qwen3:latest'],
			screenshot,
		});
		console.log(JSON.stringify(result, null, '\t'));
		const problems = [];
		for (const name of ['model', 'prompt', 'concurrency'])
			if (!result.parameters.includes(name)) problems.push(`parameter "${name}" did not render`);
		if (!result.models.some((text) => text.startsWith('llama3.2:latest')))
			problems.push('the model list does not show llama3.2:latest');
		if (problems.length) throw new Error(problems.join('; '));
		console.log(`\nScreenshot: ${path.relative(process.cwd(), screenshot)}`);
	} finally {
		await stopAll(services.slice().reverse());
		instance?.remove();
	}
});
