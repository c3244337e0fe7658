import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ImageFetcher } from '../n8n/images';
import { imageFetcher, readImageSources } from '../n8n/images';
import { parameterErrors } from '../n8n/parameterError';
import type { Message, Tool } from '../core/types';
import { parseMessages, parseTools } from './messages';

interface DefinedMessage {
	role: Message['role'];
	content: string;
	images?: string;
	imageUrls?: unknown;
	imageData?: unknown;
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
		const failWithItem = parameterErrors(context, itemIndex, { nameItem: true });
		messages = await withFetchedImages(parsed.value, imageFetcher(context), (error, detail) =>
			failWithItem('Messages (JSON)', error, detail),
		);
	} else {
		const defined = context.getNodeParameter('messages.message', itemIndex, []) as DefinedMessage[];
		messages = [];
		for (const entry of defined) {
			const message: Message = { role: entry.role, content: String(entry.content ?? '') };
			const images = await readImageSources(
				context,
				itemIndex,
				{ binary: entry.images, urls: entry.imageUrls, data: entry.imageData },
				{
					binary: 'Messages → Images',
					urls: 'Messages → Image URLs',
					data: 'Messages → Image Data',
				},
			);
			if (images.length) message.images = images;
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

/** A JSON history's images that are http(s) URLs, fetched; base64 and data URLs stay as given. */
async function withFetchedImages(
	messages: Message[],
	fetchImage: ImageFetcher,
	fail: (error: string, detail?: string) => Error,
): Promise<Message[]> {
	for (const [index, message] of messages.entries()) {
		if (!message.images?.some(isHttpUrl)) continue;
		const images: string[] = [];
		for (const image of message.images) {
			if (!isHttpUrl(image)) {
				images.push(image);
				continue;
			}
			const fetched = await fetchImage(image.trim());
			if (fetched.error !== undefined) {
				throw fail(`Message ${index + 1}: ${fetched.error}`, fetched.detail);
			}
			images.push(fetched.base64);
		}
		messages[index] = { ...message, images };
	}
	return messages;
}

function isHttpUrl(image: string): boolean {
	return /^\s*https?:\/\//i.test(image);
}
