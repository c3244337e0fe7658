import { createHash } from 'crypto';

import type { FileBytes, ModelFile } from '../../nodes/core/blobs';
import { OllamaClient } from '../../nodes/core/client';
import type { HttpAnswer, OllamaRequest } from '../../nodes/core/transport';
import { sha256 } from '../../nodes/n8n/modelFiles';

const CHUNK = Buffer.alloc(64 * 1024, 'w');
const CHUNKS = 32;

/** A file read chunk by chunk, as n8n's binary store streams it; counts its opens and reads. */
function streamedFile(name = 'big.gguf') {
	const counts = { opens: 0, chunksRead: 0 };
	const file: ModelFile = {
		name,
		origin: `binary property "data"`,
		open: async () => {
			counts.opens++;
			return (async function* () {
				for (let i = 0; i < CHUNKS; i++) {
					counts.chunksRead++;
					yield CHUNK;
				}
			})();
		},
	};
	return { file, counts };
}

const whole = Buffer.concat(Array.from({ length: CHUNKS }, () => CHUNK));
const digest = `sha256:${createHash('sha256').update(whole).digest('hex')}`;
const progressLine = Buffer.from('{"status":"success"}\n');

interface Sent {
	method: string;
	path: string;
	content?: { bytes: object; length?: number };
	body?: object;
}

/** A server whose blob store is empty; `fail` decides which requests get no answer. */
function fakeServer(fail: (request: OllamaRequest, index: number) => boolean = () => false) {
	const sent: Sent[] = [];
	const http = async (_baseUrl: string, request: OllamaRequest): Promise<HttpAnswer> => {
		sent.push({
			method: request.method,
			path: request.path,
			content: request.content,
			body: request.body,
		});
		if (fail(request, sent.length - 1))
			throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		if (request.method === 'HEAD') return { statusCode: 404, headers: {}, body: '' };
		if (request.path.startsWith('/api/blobs/')) {
			// Read the upload as a server would, so a stream is consumed.
			const bytes = request.content?.bytes as AsyncIterable<Uint8Array>;
			for await (const _ of bytes) void _;
			return { statusCode: 201, headers: {}, body: '' };
		}
		return {
			statusCode: 200,
			headers: {},
			body: (async function* () {
				yield progressLine;
			})(),
		};
	};
	const client = new OllamaClient(
		{ http, sleep: async () => {}, sha256 },
		'http://127.0.0.1:11434',
		{ retry: { baseDelayMs: 1, jitter: 0 } },
	);
	return { client, sent };
}

describe('blob upload in the client core', () => {
	it('hands the HTTP layer the file as a stream, never the whole file, with its length', async () => {
		const { file, counts } = streamedFile();
		const { client, sent } = fakeServer();
		const result = await client.create({ model: 'big' }, {}, { files: [file] });
		const upload = sent.find((request) => request.method === 'POST' && request.content);
		expect(upload?.content?.length).toBe(whole.length);
		expect(Buffer.isBuffer(upload?.content?.bytes)).toBe(false);
		expect(Symbol.asyncIterator in (upload?.content?.bytes as object)).toBe(true);
		// Read twice, chunk by chunk: once to hash, once to send.
		expect(counts).toEqual({ opens: 2, chunksRead: 2 * CHUNKS });
		expect(result.blobs).toEqual([
			{ name: 'big.gguf', digest, size: whole.length, uploaded: true },
		]);
		expect(sent.at(-1)).toMatchObject({
			path: '/api/create',
			body: { model: 'big', files: { 'big.gguf': digest } },
		});
	});

	it('opens the file afresh when an upload is cut and retried', async () => {
		const { file, counts } = streamedFile();
		const { client, sent } = fakeServer(
			(request, index) =>
				request.method === 'POST' && request.path.startsWith('/api/blobs/') && index === 1,
		);
		const result = await client.create({ model: 'big' }, {}, { files: [file] });
		expect(result.status).toBe('success');
		expect(sent.map((request) => `${request.method} ${request.path.split('/')[2]}`)).toEqual([
			'HEAD blobs',
			'POST blobs',
			'HEAD blobs',
			'POST blobs',
			'POST create',
		]);
		expect(counts.opens).toBe(3);
	});

	it('takes a file given whole (n8n keeps small binaries in memory) as it is', async () => {
		const { client, sent } = fakeServer();
		const file: ModelFile = {
			name: 'small.gguf',
			origin: 'binary property "data"',
			open: async (): Promise<FileBytes> => whole,
		};
		const result = await client.create({ model: 'small' }, {}, { files: [file] });
		expect(result.blobs[0]).toMatchObject({ digest, size: whole.length });
		expect(sent.find((request) => request.content)?.content?.bytes).toBe(whole);
	});

	it('fails with what went wrong reading the file, naming it, and sends nothing', async () => {
		const { client, sent } = fakeServer();
		const file: ModelFile = {
			name: 'gone.gguf',
			origin: 'binary property "data"',
			open: async () => {
				throw new Error('ENOENT: no such file or directory');
			},
		};
		await expect(client.create({ model: 'x' }, {}, { files: [file] })).rejects.toMatchObject({
			kind: 'configuration',
			message: 'Could not read binary property "data": ENOENT: no such file or directory',
		});
		expect(sent).toEqual([]);
	});

	it('refuses two files of one name', async () => {
		const { client } = fakeServer();
		const one = streamedFile('same.gguf').file;
		const other = { ...streamedFile('same.gguf').file, origin: 'binary property "lora"' };
		await expect(
			client.create({ model: 'x' }, {}, { files: [one], adapters: [other] }),
		).rejects.toThrow(
			'Binary property "data" and binary property "lora" have the same file name "same.gguf": give them different file names.',
		);
	});

	it('refuses files on an OpenAI-compatible server, as every create there', async () => {
		const { file } = streamedFile();
		const client = new OllamaClient(
			{
				http: async () => ({ statusCode: 200, headers: {}, body: {} }),
				sleep: async () => {},
				sha256,
			},
			'http://127.0.0.1:11434/v1',
			{ api: 'openai' },
		);
		await expect(client.create({ model: 'x' }, {}, { files: [file] })).rejects.toThrow(
			/Creating a model/,
		);
	});
});
