// crypto is on n8n's list of imports a community node may use: a JavaScript SHA-256 would take
// minutes over a multi-gigabyte model file.
import { createHash } from 'crypto';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { ModelFile, Sha256 } from '../core/blobs';
import { parameterErrors } from './parameterError';

/** Read size of a file kept by n8n's binary data store: large reads hash fastest. */
const CHUNK_BYTES = 1024 * 1024;

export function sha256(): Sha256 {
	const hash = createHash('sha256');
	return {
		update: (chunk) => hash.update(chunk),
		digest: () => hash.digest('hex'),
	};
}

/** A binary property of the item as a model file, read from n8n's store as a stream. */
function binaryFile(
	context: IExecuteFunctions,
	itemIndex: number,
	property: string,
	binary: IBinaryData,
	origin: string,
): ModelFile {
	return {
		name: binary.fileName || `${property}.gguf`,
		origin,
		open: async () =>
			binary.id
				? await context.helpers.getBinaryStream(binary.id, CHUNK_BYTES)
				: await context.helpers.getBinaryDataBuffer(itemIndex, property),
	};
}

/** The files of a comma-separated list of binary property names (a parameter's value). */
export function binaryModelFiles(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyList: string,
	parameter: string,
): ModelFile[] {
	const names = propertyList
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const binaries = context.getInputData()[itemIndex]?.binary ?? {};
	return names.map((name) => {
		const binary = binaries[name];
		if (!binary) {
			throw parameterErrors(context, itemIndex)(
				parameter,
				`Item ${itemIndex} has no binary property "${name}".`,
				`it names binary properties of the input item, separated by commas${availableList(binaries)}.`,
			);
		}
		return binaryFile(context, itemIndex, name, binary, `binary property "${name}"`);
	});
}

/**
 * The attached file a Modelfile's FROM or ADAPTER path means: the binary property whose file
 * name, or whose own name, is the path's last part (`./models/tiny.gguf` → `tiny.gguf`).
 */
export function modelfileFile(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
	instruction: string,
): ModelFile {
	const base = path.split(/[\\/]/).pop() ?? path;
	const binaries = context.getInputData()[itemIndex]?.binary ?? {};
	const match =
		Object.entries(binaries).find(([, binary]) => binary.fileName === base) ??
		Object.entries(binaries).find(([name]) => name === base);
	if (!match) {
		throw parameterErrors(context, itemIndex)(
			'Modelfile',
			`${instruction} ${path} names a file that item ${itemIndex} does not carry.`,
			`attach the file to the item as binary data, with the file name "${base}" or in a binary property named "${base}" (e.g. with Read/Write Files from Disk or HTTP Request)${availableList(binaries)}. Folders (safetensors) are not read: use Define With "Fields" and list their files.`,
		);
	}
	const [property, binary] = match;
	return {
		...binaryFile(context, itemIndex, property, binary, `the file of ${instruction} ${path}`),
		name: base,
	};
}

function availableList(binaries: Record<string, IBinaryData>): string {
	const names = Object.entries(binaries).map(([name, binary]) =>
		binary.fileName ? `"${name}" (${binary.fileName})` : `"${name}"`,
	);
	return names.length > 0 ? `; the item has ${names.join(', ')}` : '; the item has no binary data';
}
