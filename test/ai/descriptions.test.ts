import type { INodeProperties } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaChatModel } from '../../nodes/OllamaChatModel/OllamaChatModel.node';
import { OllamaEmbeddings } from '../../nodes/OllamaEmbeddings/OllamaEmbeddings.node';

const optionNames = (properties: INodeProperties[], collection: string) =>
	(properties.find((p) => p.name === collection)?.options as INodeProperties[]).map((o) => o.name);

describe('sub-node descriptions', () => {
	it("the chat model supplies a language model, is not a tool, and has Chat's options less the item/output ones", () => {
		const { description } = new OllamaChatModel();
		expect(description.inputs).toEqual([]);
		expect(description.outputs).toEqual([NodeConnectionTypes.AiLanguageModel]);
		expect(description.usableAsTool).toBeUndefined();
		const ours = optionNames(description.properties, 'options');
		const chat = optionNames(new OllamaChat().description.properties, 'options');
		const nodeOnly = [
			'concurrency',
			'streamResponse',
			'streamThinking',
			'rawResponse',
			'thinkingMode',
			'logprobs',
			'top_logprobs',
		];
		expect(ours).toEqual(
			chat.filter((name) => !['systemMessage', 'tools', ...nodeOnly].includes(name)),
		);
		expect(ours).toEqual(
			expect.arrayContaining([
				'format',
				'jsonSchema',
				'think',
				'keep_alive',
				'temperature',
				'num_ctx',
			]),
		);
		expect(optionNames(description.properties, 'reliability')).toEqual([
			'maxAttempts',
			'timeout',
			'pullIfMissing',
		]);
	});

	it('the embeddings node supplies embeddings with batch size, truncate, dimensions and keep alive', () => {
		const { description } = new OllamaEmbeddings();
		expect(description.outputs).toEqual([NodeConnectionTypes.AiEmbedding]);
		expect(description.usableAsTool).toBeUndefined();
		expect(optionNames(description.properties, 'options')).toEqual(
			expect.arrayContaining(['batchSize', 'truncate', 'dimensions', 'keep_alive']),
		);
	});
});
