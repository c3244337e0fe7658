import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	generationOptions,
	readConcurrency,
	readGenerationSettings,
	streamingHint,
} from '../descriptions/generation';
import { modelLocator, readModel } from '../descriptions/model';
import { pullIfMissingOption, readPullIfMissing } from '../descriptions/pullIfMissing';
import { readClientSettings, reliabilityCollection } from '../descriptions/reliability';
import { searchCompletionModels } from '../methods/listSearch';
import { OllamaClient } from '../shared/client';
import { runGeneration, simplifiedOutput } from '../shared/generationRun';
import { runPerItem } from '../shared/items';
import { withPullIfMissing } from '../shared/pullIfMissing';
import { chatFields, messageFields } from './fields';
import { readChatInput } from './request';

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
		const client = await OllamaClient.create(this, readClientSettings(this));
		const output = await runPerItem(this, readConcurrency(this), async (i) => {
			const model = readModel(this, i);
			const settings = readGenerationSettings(this, i);
			const pullIfMissing = readPullIfMissing(this, i);
			const { messages, tools } = await readChatInput(this, i);
			const result = await runGeneration(this, i, settings, async (onDelta) => {
				const send = async () =>
					await client.chat(
						{ model, messages, ...(tools ? { tools } : {}), ...settings.request },
						{
							itemIndex: i,
							onDelta: (delta) => onDelta(delta.content, delta.thinking),
						},
					);
				return pullIfMissing ? await withPullIfMissing(client, model, i, send) : await send();
			});
			if (settings.rawResponse) return result.final as unknown as IDataObject;
			const json = simplifiedOutput(this, i, settings, 'content', model, {
				text: result.content,
				thinking: result.thinking,
				doneReason: result.done_reason,
				toolCalls: result.tool_calls,
				metrics: result.metrics,
			});
			json.message = result.message as unknown as IDataObject;
			return json;
		});
		return [output];
	}
}
