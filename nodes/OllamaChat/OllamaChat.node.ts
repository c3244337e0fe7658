import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { generationOptions, streamingHint } from '../parameters/generation';
import { modelLocator } from '../parameters/model';
import { pullIfMissingOption } from '../parameters/pullIfMissing';
import { reliabilityCollection } from '../parameters/reliability';
import { searchCompletionModels } from '../methods/listSearch';
import type { ChatResult } from '../core/aggregate';
import { executeGeneration } from '../generation/run';
import { chatFields, messageFields } from './properties';
import { chatBody } from './body';
import { readChatInput } from './read';

export class OllamaChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama Chat',
		name: 'ollamaChat',
		icon: { light: 'file:../icons/ollama.svg', dark: 'file:../icons/ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"].cachedResultName || $parameter["model"].value }}',
		description:
			'Chat with an Ollama model: messages, images, tools, structured output (/api/chat)',
		defaults: { name: 'Ollama Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ollamaServerApi', required: true }],
		hints: [streamingHint],
		properties: [
			modelLocator('searchCompletionModels'),
			...messageFields,
			generationOptions(chatFields),
			reliabilityCollection([pullIfMissingOption]),
		],
	};

	methods = { listSearch: { searchCompletionModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGeneration<ChatResult>(this, 'content', async (i, model, settings) => {
			const { messages, tools } = await readChatInput(this, i, settings.values);
			return {
				send: async (client, onDelta) =>
					await client.chat(chatBody(model, { messages, tools }, settings.request), {
						onDelta: (delta) => onDelta(delta.content, delta.thinking),
					}),
				answer: (result) => ({
					text: result.content,
					thinking: result.thinking,
					doneReason: result.done_reason,
					toolCalls: result.tool_calls,
					logprobs: result.logprobs,
					metrics: result.metrics,
				}),
				final: (result) => result.final,
				extra: (result) => ({ message: result.message as unknown as IDataObject }),
			};
		});
	}
}
