import type {
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { OllamaChatModel as ChatModel } from '../ai/chatModel';
import { connectionHint } from '../ai/notice';
import { loadSdk } from '../ai/sdk';
import { searchCompletionModels } from '../methods/listSearch';
import { connectClient } from '../n8n/client';
import { imageFetcher } from '../n8n/images';
import { ITEM_OUTPUT_OPTIONS, generationOptions } from '../parameters/generation';
import { readGenerationSettings } from '../parameters/generationSettings';
import { modelLocator, readModel } from '../parameters/model';
import { pullIfMissingOption, readPullIfMissing } from '../parameters/pullIfMissing';
import { readClientSettings, reliabilityCollection } from '../parameters/reliability';

export class OllamaChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ollama Chat Model',
		name: 'ollamaChatModel',
		icon: { light: 'file:../icons/ollama.svg', dark: 'file:../icons/ollama.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"].cachedResultName || $parameter["model"].value }}',
		description:
			'An Ollama chat model for AI Agents, chains and extractors, over the native /api/chat',
		defaults: { name: 'Ollama Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'ollamaServerApi', required: true }],
		properties: [
			connectionHint(
				"This node must be connected to an AI chain or agent. <a data-action='openSelectiveNodeCreator' data-action-parameter-creatorview='AI'>Insert one</a>",
			),
			modelLocator('searchCompletionModels'),
			generationOptions([], ITEM_OUTPUT_OPTIONS),
			reliabilityCollection([pullIfMissingOption]),
		],
	};

	methods = { listSearch: { searchCompletionModels } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const model = readModel(this, itemIndex);
		const { request } = readGenerationSettings(this, itemIndex);
		const client = await connectClient(this, readClientSettings(this));
		// Loaded here, not at the top: the SDK brings LangChain, which n8n has loaded already, and
		// an n8n without the SDK still loads the package's other nodes.
		const { getParametersJsonSchema, supplyModel } = await loadSdk(this.getNode());
		const supplied = supplyModel(
			this,
			new ChatModel({
				node: this.getNode(),
				client,
				model,
				request,
				pullIfMissing: readPullIfMissing(this, itemIndex),
				toJsonSchema: getParametersJsonSchema,
				fetchImage: imageFetcher(this),
			}),
		);
		// The Basic LLM Chain parses the answer as JSON when the model says it writes JSON (as
		// n8n's own Ollama model does for its JSON format).
		if (request.format !== undefined) {
			const response = supplied.response as { metadata?: Record<string, unknown> };
			response.metadata = { ...response.metadata, output_format: 'json' };
		}
		return supplied;
	}
}
