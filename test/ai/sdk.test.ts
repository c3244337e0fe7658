import { NodeOperationError } from 'n8n-workflow';

import { loadSdk } from '../../nodes/ai/sdk';
import { NODE } from './host';

const CHAT_NODE = { ...NODE, name: 'Ollama Chat Model' };
const missing = (name: string) =>
	Object.assign(
		new Error(
			`Cannot find module '${name}'\nRequire stack:\n- /n8n/node_modules/@n8n/ai-node-sdk/dist/index.js`,
		),
		{
			code: 'MODULE_NOT_FOUND',
		},
	);

describe('loading @n8n/ai-node-sdk', () => {
	it('on an n8n without the SDK (as in this repository), the sub-node says what n8n it needs', async () => {
		// The real loader: the SDK is not installed here, as on an n8n before 2.x.
		const failure = await loadSdk(CHAT_NODE).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as NodeOperationError).message).toBe(
			'"Ollama Chat Model" needs n8n with the AI node SDK (n8n 2.x or later, with @n8n/ai-node-sdk); this n8n does not provide @n8n/ai-node-sdk.',
		);
		expect((failure as NodeOperationError).message).not.toMatch(/Cannot find module/);
		expect((failure as NodeOperationError).description).toMatch(/Update n8n.*Ollama Chat node/);
		expect((failure as NodeOperationError).node).toBe(CHAT_NODE);
	});

	it('the same message for an ESM loader', async () => {
		const esm = Object.assign(new Error("Cannot find package '@n8n/ai-node-sdk'"), {
			code: 'ERR_MODULE_NOT_FOUND',
		});
		await expect(loadSdk(CHAT_NODE, async () => await Promise.reject(esm))).rejects.toThrow(
			/needs n8n with the AI node SDK/,
		);
	});

	it('returns the SDK when n8n has it', async () => {
		const sdk = { supplyModel: jest.fn() } as unknown as Awaited<ReturnType<typeof loadSdk>>;
		await expect(loadSdk(CHAT_NODE, async () => await Promise.resolve(sdk))).resolves.toBe(sdk);
	});

	it('keeps other failures as they are: a module the SDK needs, or an error inside it', async () => {
		const inner = missing('@langchain/core');
		await expect(loadSdk(CHAT_NODE, async () => await Promise.reject(inner))).rejects.toThrow(
			/^Cannot find module '@langchain\/core'/,
		);
		const broken = new SyntaxError('Unexpected token');
		await expect(loadSdk(CHAT_NODE, async () => await Promise.reject(broken))).rejects.toThrow(
			'Unexpected token',
		);
	});

	it('the package still loads its nodes without the SDK', () => {
		/* eslint-disable @typescript-eslint/no-require-imports */
		const { OllamaChatModel } =
			require('../../nodes/OllamaChatModel/OllamaChatModel.node') as typeof import('../../nodes/OllamaChatModel/OllamaChatModel.node');
		/* eslint-enable @typescript-eslint/no-require-imports */
		expect(new OllamaChatModel().description.name).toBe('ollamaChatModel');
		expect(() => require.resolve('@n8n/ai-node-sdk')).toThrow(/Cannot find module/);
	});
});
