import type { ContentFile, Message as SdkMessage, MessageContent } from '@n8n/ai-node-sdk';
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shownUrl } from '../core/images';
import type { ImageFetcher } from '../n8n/images';
import { isImagePart } from './messages';

/**
 * The conversation with every image given by URL fetched into base64, so that Ollama gets the
 * bytes. n8n's SDK passes a LangChain image block with a `url` as a file part without data and
 * the URL in `providerMetadata.url`; a file part may also carry the URL as its data. Messages
 * without such parts come back as they were.
 */
export async function withFetchedImages(
	messages: SdkMessage[],
	fetchImage: ImageFetcher | undefined,
	node: INode,
	signal?: AbortSignal,
): Promise<SdkMessage[]> {
	const out: SdkMessage[] = [];
	for (const message of messages) {
		if (message.role === 'tool' || !message.content.some(needsFetching)) {
			out.push(message);
			continue;
		}
		const content: MessageContent[] = [];
		for (const part of message.content) {
			if (part.type !== 'file' || !needsFetching(part)) {
				content.push(part);
				continue;
			}
			const url = urlOf(part);
			if (url === undefined) {
				throw new NodeOperationError(
					node,
					'An image in the conversation has neither data nor an http(s) URL, so it cannot go to Ollama.',
					{
						description:
							'Ollama takes image bytes. Give the image as base64, a data URL or an http(s) URL (a file id of another provider does not work here).',
					},
				);
			}
			if (!fetchImage) {
				throw new NodeOperationError(node, `Image URL ${shownUrl(url)} cannot be fetched here.`);
			}
			const fetched = await fetchImage(url, signal);
			if (fetched.error !== undefined) {
				throw new NodeOperationError(node, fetched.error, {
					description: `The image URL came in a message from the connected chain or agent${fetched.detail ? `: ${fetched.detail}` : '.'}`,
				});
			}
			content.push({ ...part, data: fetched.base64 });
		}
		out.push({ ...message, content } as SdkMessage);
	}
	return out;
}

/** An image part whose bytes are not there: a URL, or nothing at all. */
function needsFetching(part: MessageContent): boolean {
	if (part.type !== 'file' || !isImagePart(part)) return false;
	const data = part.data as unknown;
	if (typeof data === 'string') return data.trim() === '' || isHttpUrl(data);
	return !(data instanceof Uint8Array);
}

function urlOf(part: ContentFile): string | undefined {
	const data = part.data as unknown;
	if (typeof data === 'string' && isHttpUrl(data)) return data.trim();
	const url = part.providerMetadata?.url;
	return typeof url === 'string' && isHttpUrl(url) ? url.trim() : undefined;
}

function isHttpUrl(text: string): boolean {
	return /^\s*https?:\/\//i.test(text);
}
