import type {
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
import type { GenerateResult } from '../core/aggregate';
import { executeGeneration } from '../generation/run';
import { itemValueReader } from '../n8n/itemValues';
import { parameterErrors } from '../n8n/parameterError';
import { generateFields } from './properties';
import { generateBody } from './body';
import { readGenerateFields } from './read';

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
		const readPrompt = itemValueReader(this, 'prompt');
		return await executeGeneration<GenerateResult>(this, 'response', async (i, model, settings) => {
			const prompt = readPrompt(i);
			if (typeof prompt !== 'string' || prompt.trim() === '') {
				throw parameterErrors(this, i)(
					'Prompt',
					'The prompt is empty.',
					'an empty prompt only loads the model (use Ollama Model Management → Load for that).',
				);
			}
			const { fields, returnContext } = await readGenerateFields(this, i, settings.values);
			return {
				send: async (client, onDelta) =>
					await client.generate(generateBody(model, prompt, fields, settings.request), {
						onDelta: (delta) => onDelta(delta.response, delta.thinking),
					}),
				answer: (result) => ({
					text: result.response,
					thinking: result.thinking,
					doneReason: result.done_reason,
					toolCalls: result.tool_calls,
					logprobs: result.logprobs,
					metrics: result.metrics,
				}),
				final: (result) => result.final,
				extra: (result) => (returnContext && result.context ? { context: result.context } : {}),
			};
		});
	}
}
