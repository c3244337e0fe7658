import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readImages } from '../n8n/images';
import { parameterErrors } from '../n8n/parameterError';
import type { Message, Tool } from '../core/types';
import { parseMessages, parseTools } from './messages';

interface DefinedMessage {
	role: Message['role'];
	content: string;
	images?: string;
}

/** The conversation and tools of one item, checked before anything is sent. */
export async function readChatInput(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): Promise<{ messages: Message[]; tools?: Tool[] }> {
	const fail = parameterErrors(context, itemIndex);

	let messages: Message[];
	if (context.getNodeParameter('messagesSource', itemIndex, 'define') === 'json') {
		const parsed = parseMessages(context.getNodeParameter('messagesJson', itemIndex, '[]'));
		if (parsed.error !== undefined) throw fail('Messages (JSON)', parsed.error);
		messages = parsed.value;
	} else {
		const defined = context.getNodeParameter('messages.message', itemIndex, []) as DefinedMessage[];
		messages = [];
		for (const entry of defined) {
			const message: Message = { role: entry.role, content: String(entry.content ?? '') };
			if (entry.images) {
				const images = await readImages(context, itemIndex, entry.images, 'Messages → Images');
				if (images.length) message.images = images;
			}
			messages.push(message);
		}
	}

	if (typeof options.systemMessage === 'string' && options.systemMessage.trim() !== '') {
		messages = [{ role: 'system', content: options.systemMessage }, ...messages];
	}
	if (
		!messages.some(
			(message) => message.role !== 'system' && (message.content !== '' || message.images),
		)
	) {
		throw fail(
			'Messages',
			'There is no message to answer: add a user message with content. (Empty messages only load the model: use Ollama Model Management → Load for that.)',
		);
	}

	if (options.tools === undefined) return { messages };
	const tools = parseTools(options.tools);
	if (tools.error !== undefined) throw fail('Tools (JSON)', tools.error);
	return tools.value.length ? { messages, tools: tools.value } : { messages };
}
