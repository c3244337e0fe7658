import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

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
import { generateFields } from './fields';
import { readGenerateFields } from './request';

export class OllamaGenerate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama Generate',
		name: 'ollamaGenerate',
		icon: { light: 'file:../icons/ollama.svg', dark: 'file:../icons/ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"].cachedResultName || $parameter["model"].value }}',
		description: 'Generate a completion for a prompt with an Ollama model (/api/generate)',
		defaults: { name: 'Ollama Generate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ollamaServerApi', required: true }],
		hints: [streamingHint],
		properties: [
			modelLocator('searchCompletionModels'),
			{
				displayName: 'Prompt',
				name: 'prompt',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				placeholder: 'e.g. Summarize this text: {{ $json.text }}',
			},
			generationOptions(generateFields),
			reliabilityCollection([pullIfMissingOption]),
		],
	};

	methods = { listSearch: { searchCompletionModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await OllamaClient.create(this, readClientSettings(this));
		const output = await runPerItem(this, readConcurrency(this), async (i) => {
			const model = readModel(this, i);
			const prompt = this.getNodeParameter('prompt', i, '') as string;
			if (typeof prompt !== 'string' || prompt.trim() === '') {
				throw new NodeOperationError(this.getNode(), 'The prompt is empty.', {
					itemIndex: i,
					description:
						'Check the "Prompt" parameter. (An empty prompt only loads the model: use Ollama Model Management → Load for that.)',
				});
			}
			const settings = readGenerationSettings(this, i);
			const pullIfMissing = readPullIfMissing(this, i);
			const { fields, returnContext } = await readGenerateFields(this, i);
			const result = await runGeneration(this, i, settings, async (onDelta) => {
				const send = async () =>
					await client.generate(
						{ model, prompt, ...fields, ...settings.request },
						{
							itemIndex: i,
							onDelta: (delta) => onDelta(delta.response, delta.thinking),
						},
					);
				return pullIfMissing ? await withPullIfMissing(client, model, i, send) : await send();
			});
			if (settings.rawResponse) return result.final as unknown as IDataObject;
			const json = simplifiedOutput(this, i, settings, 'response', model, {
				text: result.response,
				thinking: result.thinking,
				doneReason: result.done_reason,
				toolCalls: result.tool_calls,
				metrics: result.metrics,
			});
			if (returnContext && result.context) json.context = result.context;
			return json;
		});
		return [output];
	}
}
