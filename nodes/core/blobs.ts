import { OllamaFailure } from './failures';

/** A file's bytes as the host reads them: whole, or chunk by chunk (never all in memory). */
export type FileBytes = Uint8Array | AsyncIterable<Uint8Array>;

/** A model or adapter file for the server's blob store, opened afresh for every read. */
export interface ModelFile {
	/** The name the create request gives it (`model.gguf`): Ollama tells GGUF from safetensors by it. */
	name: string;
	/** Where the file came from, for messages (a binary field, a Modelfile line). */
	origin: string;
	open(): Promise<FileBytes>;
}

/** An incremental SHA-256, handed to the client by its host. */
export interface Sha256 {
	update(chunk: Uint8Array): void;
	/** Lowercase hex. */
	digest(): string;
}

/** What became of one file on the server. */
export interface BlobOutcome {
	name: string;
	digest: string;
	size: number;
	/** False when the server had the blob already (nothing was sent). */
	uploaded: boolean;
}

export const blobPath = (digest: string) => `/api/blobs/${digest}`;

/** The file's `sha256:<hex>` digest and size, read once from start to end. */
export async function hashFile(
	file: ModelFile,
	sha256: () => Sha256,
): Promise<{ digest: string; size: number }> {
	const hash = sha256();
	let size = 0;
	try {
		const bytes = await file.open();
		if (bytes instanceof Uint8Array) {
			hash.update(bytes);
			size = bytes.length;
		} else {
			for await (const chunk of bytes) {
				hash.update(chunk);
				size += chunk.length;
			}
		}
	} catch (error) {
		throw unreadable(file, error);
	}
	if (size === 0) {
		throw new OllamaFailure(`${capitalize(file.origin)} is empty: a model file has content.`, {
			kind: 'configuration',
		});
	}
	return { digest: `sha256:${hash.digest()}`, size };
}

/**
 * Checks the names the create request will carry: relative, without `..`, each once
 * (Ollama answers 400 `file path must be relative` otherwise, without saying which).
 */
export function checkFileNames(files: ModelFile[]): void {
	const seen = new Map<string, string>();
	for (const file of files) {
		const { name } = file;
		if (name === '' || /^([\\/]|[A-Za-z]:)/.test(name) || name.split(/[\\/]/).includes('..')) {
			throw new OllamaFailure(
				`The file name "${name}" of ${file.origin} is not a relative path of its own: Ollama refuses absolute paths and "..".`,
				{ kind: 'configuration' },
			);
		}
		const other = seen.get(name);
		if (other !== undefined) {
			throw new OllamaFailure(
				`${capitalize(other)} and ${file.origin} have the same file name "${name}": give them different file names.`,
				{ kind: 'configuration' },
			);
		}
		seen.set(name, file.origin);
	}
}

function unreadable(file: ModelFile, error: unknown): OllamaFailure {
	return new OllamaFailure(`Could not read ${file.origin}: ${(error as Error).message}`, {
		kind: 'configuration',
		cause: error,
	});
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
