// The example workflows (examples/*.json) and the credential they reference by id and name.
const fs = require('fs');
const path = require('path');

const examplesFolder = path.resolve(__dirname, '..', '..', 'examples');

/** Every example references this credential; `npm start` and the e2e tests import it. */
const EXAMPLE_CREDENTIAL = {
	id: 'ollamaExample001',
	name: 'Ollama (local)',
	type: 'ollamaServerApi',
};

/** The same server through its OpenAI-compatible /v1 API (example 9). */
const OPENAI_EXAMPLE_CREDENTIAL = {
	id: 'ollamaExampleV1',
	name: 'Ollama (OpenAI-compatible)',
	type: 'ollamaServerApi',
};

/** The credential as `n8n import:credentials` takes it (plain data; n8n encrypts it). */
function exampleCredential(baseUrl) {
	return {
		...EXAMPLE_CREDENTIAL,
		data: { api: 'ollama', baseUrl, authentication: 'none', ignoreSslIssues: false },
	};
}

/** Both example credentials: the server's own API and its /v1 API. */
function exampleCredentials(baseUrl) {
	return [
		exampleCredential(baseUrl),
		{
			...OPENAI_EXAMPLE_CREDENTIAL,
			data: {
				api: 'openai',
				baseUrl: `${baseUrl}/v1`,
				authentication: 'none',
				ignoreSslIssues: false,
			},
		},
	];
}

/** [{ file, id, name, workflow }] for examples/*.json, sorted by file name. */
function exampleWorkflows() {
	return fs
		.readdirSync(examplesFolder)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => {
			const file = path.join(examplesFolder, name);
			const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
			return { file, id: workflow.id, name: workflow.name, workflow };
		});
}

/** The webhook paths of an example's active-capable Webhook nodes. */
function webhookPaths(workflow) {
	return workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.webhook')
		.map((node) => ({ path: node.parameters.path, method: node.parameters.httpMethod ?? 'GET' }));
}

/** The production chat URL paths (`<webhookId>/chat`) of an example's public Chat Triggers. */
function chatPaths(workflow) {
	return workflow.nodes
		.filter(
			(node) =>
				node.type === '@n8n/n8n-nodes-langchain.chatTrigger' &&
				node.parameters.public === true &&
				node.webhookId,
		)
		.map((node) => `${node.webhookId}/chat`);
}

module.exports = {
	EXAMPLE_CREDENTIAL,
	chatPaths,
	exampleCredential,
	exampleCredentials,
	OPENAI_EXAMPLE_CREDENTIAL,
	exampleWorkflows,
	webhookPaths,
	examplesFolder,
};
