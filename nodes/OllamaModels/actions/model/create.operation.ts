import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { messageFields } from '../../../parameters/messages';
import { optionsCollection } from '../../../parameters/options';
import type { CreateUpload, OllamaClient } from '../../../core/client';
import type { ModelFile } from '../../../core/blobs';
import { binaryModelFiles, modelfileFile } from '../../../n8n/modelFiles';
import { parameterErrors } from '../../../n8n/parameterError';
import type { CreateRequest, Message, Options } from '../../../core/types';
import { progressOutput } from '../format';
import type { ModelfileFields } from '../../modelfile';
import { PARAMETER_TYPES, parseModelfile, setParameter } from '../../modelfile';
import { streamProgressOption, withProgressChunks } from '../progress';
import { modelNameParameter, readModelName } from '../target';

const fieldsOnly = { show: { source: ['fields'] } };

const properties: INodeProperties[] = [
	modelNameParameter('Model', 'Name of the model to create, e.g. my-assistant:v1'),
	{
		displayName: 'Define With',
		name: 'source',
		type: 'options',
		default: 'fields',
		options: [
			{
				name: 'Fields',
				value: 'fields',
				description: 'Base model, system prompt, parameters… one by one',
			},
			{
				name: 'Modelfile',
				value: 'modelfile',
				description: 'Modelfile text as in Ollama docs (FROM, SYSTEM, PARAMETER, …)',
			},
		],
	},
	{
		displayName: 'Modelfile',
		name: 'modelfile',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		required: true,
		placeholder:
			'FROM llama3.2\nSYSTEM """You are a concise assistant."""\nPARAMETER temperature 0.2',
		description:
			'Translated into the fields of /api/create before sending, as the Ollama CLI does. FROM ./model.gguf and ADAPTER ./lora.gguf name files the input item carries as binary data (by file name or binary field name); they are uploaded first.',
		displayOptions: { show: { source: ['modelfile'] } },
	},
	{
		displayName: 'Build From',
		name: 'base',
		type: 'options',
		default: 'model',
		options: [
			{
				name: 'Model on the Server',
				value: 'model',
				description: 'A model name, pulled first if the server does not have it',
			},
			{
				name: 'Model File (Binary)',
				value: 'binary',
				description: 'A GGUF file, or the files of a safetensors model, in the input item',
			},
		],
		displayOptions: fieldsOnly,
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. llama3.2',
		description: 'The model to build on; pulled first if it is not on the server',
		displayOptions: { show: { source: ['fields'], base: ['model'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field holding the model file',
		description:
			'One GGUF file, or every file of a safetensors model separated by commas. Sent to the server only if it does not have it (by SHA-256), streamed, never whole in memory.',
		displayOptions: { show: { source: ['fields'], base: ['binary'] } },
	},
	{
		displayName: 'Adapter Binary Fields',
		name: 'adapterBinaryFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. lora',
		description:
			'Input binary fields holding LoRA adapters (GGUF or safetensors), separated by commas; empty for none',
		displayOptions: fieldsOnly,
	},
	{
		displayName: 'System',
		name: 'system',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: fieldsOnly,
	},
	{
		displayName: 'Template',
		name: 'template',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Prompt template in Go template syntax; empty keeps the base model’s',
		displayOptions: fieldsOnly,
	},
	{
		displayName: 'Parameters',
		name: 'parameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Parameter',
		displayOptions: fieldsOnly,
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'options',
						default: 'temperature',
						options: Object.keys(PARAMETER_TYPES)
							.sort()
							.map((name) => ({ name, value: name })),
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'Typed as Ollama expects; add "stop" several times for several stop sequences',
					},
				],
			},
		],
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Message',
		description: 'An example conversation the model starts from',
		displayOptions: fieldsOnly,
		options: [
			{
				displayName: 'Message',
				name: 'message',
				values: messageFields(['assistant', 'system', 'user']),
			},
		],
	},
	{
		displayName: 'License',
		name: 'license',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: fieldsOnly,
	},
	optionsCollection([
		{
			displayName: 'Quantize',
			name: 'quantize',
			type: 'options',
			default: 'q4_K_M',
			description: 'Quantize a float16/float32 base model to this level',
			options: [
				{ name: 'Q4_K_M', value: 'q4_K_M' },
				{ name: 'Q4_K_S', value: 'q4_K_S' },
				{ name: 'Q8_0', value: 'q8_0' },
			],
		},
		streamProgressOption,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['model'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: OllamaClient,
	i: number,
): Promise<IDataObject> {
	const model = readModelName(this, i, 'modelName');
	const source = this.getNodeParameter('source', i, 'fields') as string;
	let fields: ModelfileFields;
	try {
		fields =
			source === 'modelfile'
				? parseModelfile(this.getNodeParameter('modelfile', i, '') as string)
				: readFields(this, i);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex: i,
			description:
				source === 'modelfile' ? 'Check the "Modelfile" parameter.' : 'Check the model fields.',
		});
	}
	const { fromFile, adapterFiles, ...requestFields } = fields;
	const upload = source === 'modelfile' ? modelfileUpload(this, i, fields) : fieldsUpload(this, i);
	const quantize = this.getNodeParameter('options.quantize', i, '') as string;
	const request: CreateRequest = { model, ...requestFields, ...(quantize ? { quantize } : {}) };
	const startedAt = Date.now();
	const { blobs, ...progress } = await withProgressChunks(
		this,
		i,
		async (onDelta) => await client.create(request, { onDelta }, upload),
	);
	return {
		...progressOutput(model, progress, startedAt),
		from: fields.from ?? fromFile,
		...(blobs.length > 0 ? { files: blobs } : {}),
		...(adapterFiles ? { adapters: adapterFiles } : {}),
	};
}

/** Fields: the model's files (Build From a binary) and the adapters, from binary fields. */
function fieldsUpload(context: IExecuteFunctions, i: number): CreateUpload {
	let files: ModelFile[] = [];
	if (context.getNodeParameter('base', i, 'model') === 'binary') {
		const names = String(context.getNodeParameter('binaryPropertyName', i, ''));
		files = binaryModelFiles(context, i, names, 'Input Binary Field');
		if (files.length === 0) {
			throw parameterErrors(context, i)(
				'Input Binary Field',
				'"Input Binary Field" is empty: name the binary field that holds the model file, e.g. data',
			);
		}
	}
	const adapters = binaryModelFiles(
		context,
		i,
		String(context.getNodeParameter('adapterBinaryFields', i, '')),
		'Adapter Binary Fields',
	);
	return { files, adapters };
}

/** A Modelfile: FROM and ADAPTER paths, each the item's binary of that file name. */
function modelfileUpload(
	context: IExecuteFunctions,
	i: number,
	{ fromFile, adapterFiles }: ModelfileFields,
): CreateUpload {
	return {
		files: fromFile ? [modelfileFile(context, i, fromFile, 'FROM')] : [],
		adapters: (adapterFiles ?? []).map((path) => modelfileFile(context, i, path, 'ADAPTER')),
	};
}

function readFields(context: IExecuteFunctions, i: number): ModelfileFields {
	const fields: ModelfileFields = {};
	if (context.getNodeParameter('base', i, 'model') === 'model') {
		const from = String(context.getNodeParameter('from', i, '')).trim();
		if (from === '') throw new Error('"From" is empty: name the model to build on, e.g. llama3.2');
		fields.from = from;
	}
	const system = context.getNodeParameter('system', i, '') as string;
	const template = context.getNodeParameter('template', i, '') as string;
	const license = context.getNodeParameter('license', i, '') as string;
	if (system) fields.system = system;
	if (template) fields.template = template;
	if (license) fields.license = [license];

	const parameterRows =
		(context.getNodeParameter('parameters.parameter', i, []) as Array<{
			name: string;
			value: string;
		}>) ?? [];
	if (parameterRows.length) {
		const parameters: Options = {};
		for (const row of parameterRows) {
			const problem = setParameter(parameters, row.name, String(row.value));
			if (problem) throw new Error(`Parameter ${problem}`);
		}
		fields.parameters = parameters;
	}
	const messageRows = (context.getNodeParameter('messages.message', i, []) as Message[]) ?? [];
	if (messageRows.length)
		fields.messages = messageRows.map(({ role, content }) => ({ role, content }));
	return fields;
}
