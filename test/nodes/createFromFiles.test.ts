// Create from files (issue 17, item 4): GGUF and adapter files given as binary data are hashed,
// checked with HEAD /api/blobs/:digest, uploaded only when missing, and named by digest in
// /api/create, from the Fields and from a Modelfile's FROM ./file.gguf and ADAPTER paths.
import { createHash } from 'crypto';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { OllamaModels } from '../../nodes/OllamaModels/OllamaModels.node';
import type { RunOptions } from '../harness/run';
import { runNode } from '../harness/run';
import { useEmulator } from './emulator.fixture';

const emulator = useEmulator();

/** A small file that starts as a GGUF file does; `seed` makes each one distinct. */
function ggufBytes(seed: string, size = 200_000): Buffer {
	const bytes = Buffer.alloc(size, seed);
	bytes.write('GGUF', 0, 'latin1');
	return bytes;
}

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function binary(bytes: Buffer, fileName?: string) {
	return { data: bytes.toString('base64'), mimeType: 'application/octet-stream', fileName };
}

function create(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	extra: Partial<RunOptions> = {},
): RunOptions {
	return {
		node: {
			type: OllamaModels,
			parameters: { resource: 'model', operation: 'create', ...parameters },
			continueOnFail: true,
		},
		credentials: { baseUrl: emulator.url, authentication: 'none' },
		items,
		...extra,
	};
}

const blobRequests = () =>
	emulator.requests
		.filter((r) => r.path.startsWith('/api/blobs/'))
		.map((r) => `${r.method} ${r.path.slice('/api/blobs/'.length)} ${r.status}`);

const createBody = () =>
	emulator.requests.find((r) => r.path === '/api/create')?.body as IDataObject;

describe('Create from a model file', () => {
	const model = ggufBytes('a');
	const digest = digestOf(model);

	it('uploads a GGUF file the server lacks, then creates the model from its digest', async () => {
		const { items, error } = await runNode(
			create(
				{
					modelName: 'tiny-local',
					base: 'binary',
					binaryPropertyName: 'data',
					system: 'Be brief.',
				},
				[{ json: {}, binary: { data: binary(model, 'tiny.gguf') } }],
			),
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			model: 'tiny-local',
			status: 'success',
			files: [{ name: 'tiny.gguf', digest, size: model.length, uploaded: true }],
		});
		expect(blobRequests()).toEqual([`HEAD ${digest} 404`, `POST ${digest} 201`]);
		const upload = emulator.requests.find((r) => r.method === 'POST' && r.path.includes('blobs'));
		expect(upload?.bodyBytes).toBe(model.length);
		expect(upload?.headers['content-type']).toBe('application/octet-stream');
		expect(createBody()).toEqual({
			model: 'tiny-local',
			files: { 'tiny.gguf': digest },
			system: 'Be brief.',
			stream: true,
		});
		const [shown] = (
			await runNode({
				...create({}, [{ json: {} }]),
				node: {
					type: OllamaModels,
					parameters: {
						resource: 'model',
						operation: 'get',
						model: { __rl: true, mode: 'name', value: 'tiny-local' },
					},
				},
			})
		).items;
		expect(shown.json.system).toBe('Be brief.');
	});

	it('sends nothing when the server has the blob already', async () => {
		const parameters = { modelName: 'tiny-a', base: 'binary', binaryPropertyName: 'data' };
		const items = [{ json: {}, binary: { data: binary(model, 'tiny.gguf') } }];
		await runNode(create(parameters, items));
		emulator.requests.length = 0;
		const { items: again } = await runNode(create({ ...parameters, modelName: 'tiny-b' }, items));
		expect(again[0].json.files).toEqual([
			{ name: 'tiny.gguf', digest, size: model.length, uploaded: false },
		]);
		expect(blobRequests()).toEqual([`HEAD ${digest} 200`]);
	});

	it('sends adapters beside a base model, and every file of a safetensors model', async () => {
		const lora = ggufBytes('l', 5_000);
		const { items } = await runNode(
			create({ modelName: 'tuned', base: 'model', from: 'llama3.2', adapterBinaryFields: 'lora' }, [
				{ json: {}, binary: { lora: binary(lora, 'adapter.gguf') } },
			]),
		);
		expect(items[0].json.status).toBe('success');
		expect(createBody()).toMatchObject({
			from: 'llama3.2',
			adapters: { 'adapter.gguf': digestOf(lora) },
		});
		expect(createBody().files).toBeUndefined();

		emulator.reset();
		const weights = Buffer.from('safetensors weights');
		const config = Buffer.from('{"architectures":["LlamaForCausalLM"]}');
		await runNode(
			create({ modelName: 'st', base: 'binary', binaryPropertyName: 'weights, config' }, [
				{
					json: {},
					binary: {
						weights: binary(weights, 'model.safetensors'),
						config: binary(config, 'config.json'),
					},
				},
			]),
		);
		expect(createBody().files).toEqual({
			'model.safetensors': digestOf(weights),
			'config.json': digestOf(config),
		});
		expect(blobRequests().filter((line) => line.startsWith('POST'))).toHaveLength(2);
	});

	it('reads FROM ./file.gguf and ADAPTER paths of a Modelfile from the item, by file or field name', async () => {
		const lora = ggufBytes('m', 3_000);
		const { items, error } = await runNode(
			create(
				{
					modelName: 'from-modelfile',
					source: 'modelfile',
					modelfile:
						'FROM ./models/tiny.gguf\nADAPTER ./lora\nPARAMETER temperature 0.3\nSYSTEM """Short answers."""',
				},
				[
					{
						json: {},
						binary: { data: binary(model, 'tiny.gguf'), lora: binary(lora, 'x.bin') },
					},
				],
			),
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'success', from: './models/tiny.gguf' });
		expect(createBody()).toEqual({
			model: 'from-modelfile',
			files: { 'tiny.gguf': digest },
			adapters: { lora: digestOf(lora) },
			parameters: { temperature: 0.3 },
			system: 'Short answers.',
			stream: true,
		});
	});

	it('tells the caller of a streaming workflow about the upload', async () => {
		const { chunks } = await runNode(
			create(
				{
					modelName: 'streamed',
					base: 'binary',
					binaryPropertyName: 'data',
					options: { streamProgress: true },
				},
				[{ json: {}, binary: { data: binary(ggufBytes('s'), 'streamed.gguf') } }],
				{ streaming: true },
			),
		);
		const lines = chunks.filter((c) => c.type === 'item').map((c) => c.content);
		expect(lines.slice(0, 2)).toEqual([
			'uploading streamed.gguf 0%\n',
			'uploading streamed.gguf 100%\n',
		]);
		expect(lines).toContain('success\n');
	});

	it('retries a busy blob store', async () => {
		emulator.addFault({ type: 'busy', path: `/api/blobs/${digest}`, times: 1 });
		const { items } = await runNode(
			create({ modelName: 'tiny-retry', base: 'binary', binaryPropertyName: 'data' }, [
				{ json: {}, binary: { data: binary(model, 'tiny.gguf') } },
			]),
		);
		expect(items[0].json.status).toBe('success');
		const posts = emulator.requests.filter((r) => r.method === 'POST' && r.status === 201);
		expect(posts.map((r) => r.bodyBytes)).toEqual([model.length]);
	});

	it('names the parameter, the item and what the item has when a file is missing, and goes on', async () => {
		const { items } = await runNode(
			create({ modelName: '={{ $json.name }}', base: 'binary', binaryPropertyName: 'model' }, [
				{ json: { name: 'first' }, binary: { data: binary(model, 'tiny.gguf') } },
				{ json: { name: 'second' }, binary: { model: binary(model, 'tiny.gguf') } },
			]),
		);
		expect(items[0].json.error).toBe('Item 0 has no binary property "model".');
		expect(items[1].json.status).toBe('success');

		const { items: viaModelfile } = await runNode(
			create({ modelName: 'm', source: 'modelfile', modelfile: 'FROM ./other.gguf' }, [
				{ json: {}, binary: { data: binary(model, 'tiny.gguf') } },
			]),
		);
		expect(viaModelfile[0].json.error).toBe(
			'FROM ./other.gguf names a file that item 0 does not carry.',
		);
		expect(emulator.requests.filter((r) => r.path === '/api/create')).toHaveLength(1);
	});

	it('refuses an empty file and a file name with "..", before sending anything', async () => {
		const { items } = await runNode(
			create({ modelName: 'bad', base: 'binary', binaryPropertyName: 'data' }, [
				{ json: {}, binary: { data: binary(Buffer.alloc(0), 'empty.gguf') } },
				{ json: {}, binary: { data: binary(model, '../up.gguf') } },
			]),
		);
		expect(items[0].json.error).toBe('Binary property "data" is empty: a model file has content.');
		expect(items[1].json.error).toMatch(
			/^The file name "\.\.\/up\.gguf" of binary property "data" is not a relative path of its own/,
		);
		expect(emulator.requests.filter((r) => r.path.startsWith('/api/'))).toEqual([]);
	});
});
