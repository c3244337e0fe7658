// Images from URLs and from text (Image URLs, Image Data) in Generate and Chat, through n8n-core's
// WorkflowExecute: URLs are fetched with n8n's request helper from a local server, and Ollama
// receives plain base64 in `images`.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { OllamaChat } from '../../nodes/OllamaChat/OllamaChat.node';
import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { runNode } from '../harness/run';
import { useEmulator } from './emulator.fixture';
import { PNG, byName, nodeRun, outputOf, sentTo } from './generation.fixture';
import type { ImageServer } from './imageServer.fixture';
import { GIF, startImageServer } from './imageServer.fixture';

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
const dataUrl = `data:image/png;base64,${png}`;

const generate = (options: INodeParameters, items?: IDataObject[]) =>
	nodeRun(
		emulator,
		OllamaGenerate,
		{ model: byName('llava'), prompt: '={{ $json.name ?? "What is this?" }}', options },
		items ? { items } : {},
	);

const chat = (message: IDataObject, items?: IDataObject[]) =>
	nodeRun(
		emulator,
		OllamaChat,
		{
			model: byName('llava'),
			messagesSource: 'define',
			messages: {
				message: [{ role: 'user', content: '={{ $json.name ?? "What is this?" }}', ...message }],
			},
		},
		items ? { items } : {},
	);

/** The images Ollama received for each prompt (Generate) or last message content (Chat). */
function imagesSent(path: '/api/generate' | '/api/chat'): Record<string, unknown> {
	const byPrompt: Record<string, unknown> = {};
	for (const request of emulator.requests.filter((r) => r.path === path)) {
		const body = request.body as {
			prompt?: string;
			images?: string[];
			messages?: Array<{ content: string; images?: string[] }>;
		};
		const last = body.messages?.at(-1);
		byPrompt[body.prompt ?? last?.content ?? ''] = body.images ?? last?.images;
	}
	return byPrompt;
}

describe('Ollama Generate: Image URLs and Image Data', () => {
	it('fetches Image URLs with n8n’s request helper and sends plain base64', async () => {
		const [out] = await outputOf(
			generate({ imageUrls: `${images.url}/photo.png, ${images.url}/photo.gif` }),
		);
		expect(out.error).toBeUndefined();
		expect(sentTo(emulator, '/api/generate').images).toEqual([png, gif]);
		expect(images.requests).toEqual(expect.arrayContaining(['/photo.png', '/photo.gif']));
	});

	it('follows a redirect and reads URLs separated by new lines, or a list from an expression', async () => {
		await outputOf(generate({ imageUrls: `${images.url}/moved\n${images.url}/photo.gif` }));
		expect(sentTo(emulator, '/api/generate').images).toEqual([png, gif]);
		await outputOf(
			generate({ imageUrls: '={{ $json.urls }}' }, [
				{ urls: [`${images.url}/photo.gif`, `${images.url}/photo.png`] },
			]),
		);
		expect(sentTo(emulator, '/api/generate').images).toEqual([gif, png]);
	});

	it('takes Image Data as base64, as a data URL, or as a list from an expression', async () => {
		const { items } = await runNode(
			generate({ imageData: '={{ $json.photo }}' }, [
				{ name: 'base64', photo: png },
				{ name: 'data URL', photo: dataUrl },
				{ name: 'list', photo: [dataUrl, gif] },
				{ name: 'wrapped', photo: png.replace(/(.{20})/g, '$1\n') },
			]),
		);
		expect(items.map((item) => item.json.error)).toEqual([
			undefined,
			undefined,
			undefined,
			undefined,
		]);
		expect(imagesSent('/api/generate')).toEqual({
			base64: [png],
			'data URL': [png],
			list: [png, gif],
			wrapped: [png],
		});
	});

	it('sends binary properties, then Image URLs, then Image Data', async () => {
		const item = {
			json: {},
			binary: { photo: { data: gif, mimeType: 'image/gif', fileName: 'a.gif' } },
		};
		const [out] = await outputOf({
			...generate({ images: 'photo', imageUrls: `${images.url}/photo.png`, imageData: dataUrl }),
			items: [item],
		});
		expect(out.error).toBeUndefined();
		expect(sentTo(emulator, '/api/generate').images).toEqual([gif, png, png]);
	});

	it('fails each bad image as its own item, naming the option, the item and the URL; other items run', async () => {
		const bad = [
			{ name: 'fine', url: `${images.url}/photo.png` },
			{ name: '404', url: `${images.url}/missing.png` },
			{ name: '500', url: `${images.url}/error` },
			{ name: 'text', url: `${images.url}/note.txt` },
			{ name: 'svg', url: `${images.url}/logo.svg` },
			{ name: 'empty', url: `${images.url}/empty.png` },
			{ name: 'too large', url: `${images.url}/huge.png` },
			{ name: 'too large, chunked', url: `${images.url}/endless.png` },
			{ name: 'not http', url: 'ftp://example.com/a.png' },
			{ name: 'password', url: images.url.replace('//', '//user:secret@') + '/missing.png' },
			{ name: 'refused', url: 'http://127.0.0.1:9/a.png' },
		];
		const { items } = await runNode(generate({ imageUrls: '={{ $json.url }}' }, bad));
		const errors = items.map((item) => item.json.error);
		const base = images.url;
		expect(errors).toEqual([
			undefined,
			`Image URL ${base}/missing.png answered 404 Not Found.`,
			`Image URL ${base}/error answered 500 Internal Server Error.`,
			`Image URL ${base}/note.txt is text/plain, not an image (its bytes are no PNG, JPEG, GIF or WebP either).`,
			`Image URL ${base}/logo.svg is image/svg+xml, not an image (its bytes are no PNG, JPEG, GIF or WebP either).`,
			`Image URL ${base}/empty.png answered with an empty body.`,
			`Image URL ${base}/huge.png is 25 MB, more than the 20 MB an image may have.`,
			`Image URL ${base}/endless.png is more than the 20 MB an image may have.`,
			'Image URL "ftp://example.com/a.png" is not an http(s) URL.',
			`Image URL ${base}/missing.png answered 404 Not Found.`,
			'Image URL http://127.0.0.1:9/a.png could not be fetched: the connection was refused.',
		]);
		for (const [index, item] of items.entries()) {
			if (index === 0) continue;
			expect(item.json.description).toMatch(
				new RegExp(`^Check the "Image URLs" option of item ${index}[:.]`),
			);
			expect(item.pairedItem).toEqual({ item: index });
			expect(JSON.stringify(item.json)).not.toContain('secret');
		}
		expect(items[1].json.description).toBe(
			'Check the "Image URLs" option of item 1: there is no image at that address.',
		);
		expect(items[10].json.description).toMatch(
			/^Check the "Image URLs" option of item 10: the request failed with ".*ECONNREFUSED.*"\.$/,
		);
		// Only the good item reached Ollama.
		expect(imagesSent('/api/generate')).toEqual({ fine: [png] });
	});

	it('refuses Image Data that is not base64, not an image, or a URL, naming the option and the item', async () => {
		const { items } = await runNode(
			generate({ imageData: '={{ $json.photo }}' }, [
				{ name: 'fine', photo: png },
				{ name: 'garbage', photo: 'not base64!' },
				{ name: 'text', photo: Buffer.from('hello world').toString('base64') },
				{ name: 'pdf', photo: 'data:application/pdf;base64,JVBERi0xLjQK' },
				{ name: 'url', photo: `${images.url}/photo.png` },
				{ name: 'second', photo: [png, 'not base64!'] },
				{ name: 'number', photo: 42 },
			]),
		);
		expect(items.map((item) => item.json.error)).toEqual([
			undefined,
			'Image Data is not valid base64 (nor a data URL with base64): it starts "not base64!".',
			'Image Data is not a PNG, JPEG, GIF or WebP image (its bytes say otherwise). An image in another format can be given as a data URL with its type.',
			'Image Data is application/pdf, not an image.',
			'Image Data is a URL, not base64: give image URLs in Image URLs.',
			'Image 2 of Image Data is not valid base64 (nor a data URL with base64): it starts "not base64!".',
			'Image Data must be text or a list of base64 texts, not 42.',
		]);
		for (const index of [1, 2, 3, 4, 5, 6]) {
			expect(items[index].json.description).toMatch(
				new RegExp(`^Check the "Image Data" option of item ${index}[:.]`),
			);
		}
		expect(imagesSent('/api/generate')).toEqual({ fine: [png] });
	});
});

describe('Ollama Chat: Image URLs and Image Data per message', () => {
	it('sends a message’s Image URLs and Image Data as plain base64', async () => {
		const [out] = await outputOf(
			chat({ imageUrls: `${images.url}/photo.gif`, imageData: '={{ $json.photo }}' }, [
				{ photo: dataUrl },
			]),
		);
		expect(out.error).toBeUndefined();
		expect(sentTo(emulator, '/api/chat').messages).toEqual([
			{ role: 'user', content: 'What is this?', images: [gif, png] },
		]);
	});

	it('takes Image Data as plain base64 too', async () => {
		await outputOf(chat({ imageData: png }));
		expect(sentTo(emulator, '/api/chat').messages).toEqual([
			{ role: 'user', content: 'What is this?', images: [png] },
		]);
	});

	it('fails an item whose image URL is a 404 or a text file, naming the parameter and the item', async () => {
		const { items } = await runNode(
			chat({ imageUrls: '={{ $json.url }}' }, [
				{ name: 'fine', url: `${images.url}/photo.png` },
				{ name: '404', url: `${images.url}/missing.png` },
				{ name: 'text', url: `${images.url}/note.txt` },
				{ name: 'also fine', url: `${images.url}/photo.gif` },
			]),
		);
		expect(items.map((item) => item.json.error)).toEqual([
			undefined,
			`Image URL ${images.url}/missing.png answered 404 Not Found.`,
			`Image URL ${images.url}/note.txt is text/plain, not an image (its bytes are no PNG, JPEG, GIF or WebP either).`,
			undefined,
		]);
		expect(items[1].json.description).toBe(
			'Check the "Messages → Image URLs" parameter of item 1: there is no image at that address.',
		);
		expect(items[2].json.description).toBe(
			'Check the "Messages → Image URLs" parameter of item 2.',
		);
		expect(imagesSent('/api/chat')).toEqual({ fine: [png], 'also fine': [gif] });
	});

	it('refuses invalid Image Data of a message, naming the parameter and the item', async () => {
		const [out] = await outputOf(chat({ imageData: 'data:image/png;base64,@@@' }));
		expect(out.error).toBe(
			'Messages → Image Data is not valid base64 (nor a data URL with base64): it starts "@@@".',
		);
		expect(out.description).toBe('Check the "Messages → Image Data" parameter of item 0.');
		expect(emulator.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
	});

	it('fetches http(s) URLs in the images of a JSON history; base64 stays as given', async () => {
		const history = [
			{ role: 'user', content: 'Compare these', images: [`${images.url}/photo.png`, gif] },
		];
		const [out] = await outputOf({
			...chat({}),
			node: {
				type: OllamaChat,
				continueOnFail: true,
				parameters: {
					model: byName('llava'),
					messagesSource: 'json',
					messagesJson: JSON.stringify(history),
				},
			},
		});
		expect(out.error).toBeUndefined();
		expect(sentTo(emulator, '/api/chat').messages).toEqual([
			{ role: 'user', content: 'Compare these', images: [png, gif] },
		]);

		const missing = [{ role: 'user', content: 'And this?', images: [`${images.url}/gone.png`] }];
		const [failed] = await outputOf({
			...chat({}),
			node: {
				type: OllamaChat,
				continueOnFail: true,
				parameters: {
					model: byName('llava'),
					messagesSource: 'json',
					messagesJson: JSON.stringify(missing),
				},
			},
		});
		expect(failed.error).toBe(
			`Message 1: Image URL ${images.url}/gone.png answered 404 Not Found.`,
		);
		expect(failed.description).toBe(
			'Check the "Messages (JSON)" parameter of item 0: there is no image at that address.',
		);
	});
});

describe('on the OpenAI-compatible API', () => {
	it('Chat sends fetched and given images as data URL content parts', async () => {
		const [out] = await outputOf({
			// PNG both: Ollama's /v1 takes data URLs of JPEG, PNG and WebP only (not GIF).
			...chat({ imageUrls: `${images.url}/photo.png`, imageData: dataUrl }),
			credentials: { api: 'openai', baseUrl: emulator.url, authentication: 'none' },
		});
		expect(out.error).toBeUndefined();
		const requests = emulator.requests.filter((r) => r.path === '/v1/chat/completions');
		expect((requests.at(-1)?.body as IDataObject).messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What is this?' },
					{ type: 'image_url', image_url: { url: dataUrl } },
					{ type: 'image_url', image_url: { url: dataUrl } },
				],
			},
		]);
	});
});
