// Images the Chat Model sub-node receives by URL. n8n's SDK adapter (fromLcMessage in
// @n8n/ai-utilities 0.34.1) turns a LangChain image block `{ type: 'image', url, mimeType }` into
// `{ type: 'file', mediaType, data: undefined, providerMetadata: { url } }`; a caller of the SDK
// model may also put the URL in `data`. Either is fetched through n8n's request helper.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-ai-images-'));

import type { Message, StreamChunk } from '@n8n/ai-node-sdk';
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { OllamaChatModel } from '../../nodes/ai/chatModel';
import { withFetchedImages } from '../../nodes/ai/images';
import type { ImageFetcher } from '../../nodes/n8n/images';
import { imageFetcher } from '../../nodes/n8n/images';
import { useEmulator } from '../nodes/emulator.fixture';
import { PNG } from '../nodes/generation.fixture';
import type { ImageServer } from '../nodes/imageServer.fixture';
import { GIF, startImageServer } from '../nodes/imageServer.fixture';
import { NODE, clientFor } from './host';

const emulator = useEmulator();
let images: ImageServer;
beforeAll(async () => {
	images = await startImageServer();
});
afterAll(async () => {
	await images.close();
});

const png = PNG.toString('base64');
const gif = GIF.toString('base64');
const { request } = Container.get(OutboundHttp).requests();
const n8nFetch = () =>
	imageFetcher({
		helpers: { httpRequest: async (options: IHttpRequestOptions) => await request(options) },
	});

/** A user message as n8n's SDK adapter gives it for a LangChain image block with a URL. */
const askAbout = (url: string): Message[] => [
	{
		role: 'user',
		content: [
			{ type: 'text', text: 'What is this?' },
			{ type: 'file', mediaType: 'image/png', providerMetadata: { url } } as never,
		],
	},
];

const chatModel = (fetchImage?: ImageFetcher) =>
	new OllamaChatModel({
		node: NODE,
		client: clientFor(emulator.url),
		model: 'llava',
		request: {},
		pullIfMissing: false,
		toJsonSchema: () => ({}),
		fetchImage,
	});

const lastChat = () =>
	emulator.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as {
		messages: Array<{ role: string; content: string; images?: string[] }>;
	};

describe('Chat Model sub-node: images by URL', () => {
	it('fetches a URL in providerMetadata.url or in data, and leaves base64, bytes and other files alone', async () => {
		const bytes = new Uint8Array(PNG);
		const messages: Message[] = [
			{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Compare' },
					{ type: 'file', providerMetadata: { url: `${images.url}/photo.png` } } as never,
					{ type: 'file', mediaType: 'image/gif', data: `${images.url}/photo.gif` },
					{ type: 'file', mediaType: 'image/png', data: `data:image/png;base64,${png}` },
					{ type: 'file', mediaType: 'image/png', data: bytes },
					{ type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=' },
				],
			},
		];
		const out = await withFetchedImages(messages, n8nFetch(), NODE);
		expect(out[0]).toBe(messages[0]);
		expect(out[1].content).toEqual([
			{ type: 'text', text: 'Compare' },
			{ type: 'file', providerMetadata: { url: `${images.url}/photo.png` }, data: png },
			{ type: 'file', mediaType: 'image/gif', data: gif },
			{ type: 'file', mediaType: 'image/png', data: `data:image/png;base64,${png}` },
			{ type: 'file', mediaType: 'image/png', data: bytes },
			{ type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=' },
		]);
	});

	it('generate() sends the fetched image to Ollama as plain base64', async () => {
		const result = await chatModel(n8nFetch()).generate(askAbout(`${images.url}/photo.png`));
		expect(result.finishReason).toBe('stop');
		expect(lastChat().messages).toEqual([
			{ role: 'user', content: 'What is this?', images: [png] },
		]);
	});

	it('stream() does too', async () => {
		const chunks: StreamChunk[] = [];
		for await (const chunk of chatModel(n8nFetch()).stream(askAbout(`${images.url}/moved`))) {
			chunks.push(chunk);
		}
		expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
		expect(lastChat().messages[0].images).toEqual([png]);
	});

	it('fails with the URL and the reason when the image cannot be fetched, before Ollama is asked', async () => {
		const failure = await chatModel(n8nFetch())
			.generate(askAbout(`${images.url.replace('//', '//me:pw@')}/missing.png`))
			.catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as NodeOperationError).message).toBe(
			`Image URL ${images.url}/missing.png answered 404 Not Found.`,
		);
		expect((failure as NodeOperationError).description).toBe(
			'The image URL came in a message from the connected chain or agent: there is no image at that address.',
		);
		const notImage = await chatModel(n8nFetch())
			.generate(askAbout(`${images.url}/note.txt`))
			.catch((error: unknown) => error as Error);
		expect(notImage.message).toMatch(/note\.txt is text\/plain, not an image/);
		expect(emulator.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
	});

	it('refuses an image part with neither data nor an http(s) URL (a provider file id)', async () => {
		const messages: Message[] = [
			{
				role: 'user',
				content: [{ type: 'file', mediaType: 'image/png', providerMetadata: { fileId: 'f' } }],
			} as never,
		];
		await expect(withFetchedImages(messages, n8nFetch(), NODE)).rejects.toThrow(
			'An image in the conversation has neither data nor an http(s) URL, so it cannot go to Ollama.',
		);
	});
});
