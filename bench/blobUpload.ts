/**
 * Create from a file (issue 17, item 4): a model file hashed and uploaded to the emulator's blob
 * store by our client core, through our n8n HTTP adapter and n8n's own request function (axios),
 * read as a stream from disk, as n8n's binary store hands it over. The anchor, measured in the
 * same run: the same upload with the file read whole into memory first (what reading the binary
 * with getBinaryDataBuffer would do). Prints the peak memory growth of both (heap + buffers) against
 * the file's size, and their throughput. Size: BLOB_BENCH_MB (default 1024).
 */
import { httpRequest } from '@n8n/backend-network/testing';
import { createReadStream, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'fs';
import { readFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { FileBytes, ModelFile } from '../nodes/core/blobs';
import { OllamaClient } from '../nodes/core/client';
import { n8nHttp } from '../nodes/n8n/http';
import { sha256 } from '../nodes/n8n/modelFiles';
import { startEmulator } from '../test/emulator';

const SIZE_MB = Number(process.env.BLOB_BENCH_MB ?? 1024);
/**
 * Ours holds a few 1 MB read chunks and socket buffers (plus garbage not yet collected), never
 * the file: its growth must stay under this, whatever the file's size.
 */
const MAX_GROWTH_BYTES = 64 * 1024 * 1024;

/** Peak of heap + ArrayBuffers (where file bytes live) above the level before `run`. */
async function peakGrowth<T>(
	run: () => Promise<T>,
): Promise<{ value: T; bytes: number; ms: number }> {
	global.gc?.();
	const level = () => {
		const usage = process.memoryUsage();
		return usage.heapUsed + usage.arrayBuffers;
	};
	const before = level();
	let peak = before;
	const timer = setInterval(() => (peak = Math.max(peak, level())), 5);
	const started = Date.now();
	const value = await run();
	const ms = Date.now() - started;
	clearInterval(timer);
	peak = Math.max(peak, level());
	return { value, bytes: peak - before, ms };
}

function writeModelFile(path: string, bytes: number): void {
	const chunk = Buffer.alloc(8 * 1024 * 1024, 7);
	chunk.write('GGUF', 0, 'latin1');
	const fd = openSync(path, 'w');
	for (let written = 0; written < bytes; written += chunk.length)
		writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
	closeSync(fd);
}

export async function blobUploadLines(): Promise<string[]> {
	const folder = mkdtempSync(join(tmpdir(), 'blob-bench-'));
	const path = join(folder, 'model.gguf');
	const bytes = SIZE_MB * 1024 * 1024;
	writeModelFile(path, bytes);
	const emulator = await startEmulator();
	try {
		// n8n's request function itself: what httpRequestWithAuthentication ends in, minus the credential.
		const context = {
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) =>
					await httpRequest(options),
			},
		};
		const client = new OllamaClient(
			{ http: n8nHttp(context as never), sleep: async () => {}, sha256 },
			emulator.url,
		);
		const upload = async (name: string, open: () => Promise<FileBytes>) => {
			emulator.reset();
			const file: ModelFile = { name: `${name}.gguf`, origin: name, open };
			return await client.create({ model: name }, {}, { files: [file] });
		};
		const streamed = await peakGrowth(
			async () =>
				await upload('streamed', async () => createReadStream(path, { highWaterMark: 1 << 20 })),
		);
		const whole = await peakGrowth(async () => {
			const buffer = await readFile(path);
			return await upload('whole', async () => buffer);
		}).catch((error: NodeJS.ErrnoException) => {
			// Node's Buffers end at 2 GiB: read whole, such a file cannot be sent at all.
			if (error.code === 'ERR_FS_FILE_TOO_LARGE') return error;
			throw error;
		});
		for (const run of whole instanceof Error ? [streamed] : [streamed, whole]) {
			if (run.value.status !== 'success' || run.value.blobs[0]?.size !== bytes)
				throw new Error(`upload failed: ${JSON.stringify(run.value)}`);
		}
		const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
		const rate = (ms: number) => `${(bytes / 2 ** 20 / (ms / 1000)).toFixed(0)} MB/s`;
		const share = streamed.bytes / bytes;
		const verdict = `target ours ≤ ${mb(MAX_GROWTH_BYTES)} whatever the size: ${streamed.bytes <= MAX_GROWTH_BYTES ? 'PASS' : 'FAIL'}`;
		return [
			`blob upload: ${SIZE_MB} MB GGUF file, hashed then sent to the emulator (HEAD 404, POST 201, create)`,
			`  ours (stream from disk): peak memory growth ${mb(streamed.bytes)} = ${(share * 100).toFixed(2)} % of the file, ${(streamed.ms / 1000).toFixed(1)} s (${rate(streamed.ms)} hashed and sent)`,
			...(whole instanceof Error
				? [`  anchor (file read whole first): cannot: ${whole.message}`, `  ${verdict}`]
				: [
						`  anchor (file read whole first): peak growth ${mb(whole.bytes)} = ${((whole.bytes / bytes) * 100).toFixed(0)} % of the file, ${(whole.ms / 1000).toFixed(1)} s (${rate(whole.ms)})`,
						`  ours / anchor memory: ${(streamed.bytes / whole.bytes).toFixed(3)}; ${verdict}`,
					]),
		];
	} finally {
		await emulator.close();
		rmSync(folder, { recursive: true, force: true });
	}
}

if (require.main === module) {
	blobUploadLines()
		.then((lines) => process.stdout.write(`${lines.join('\n')}\n`))
		.catch((error: Error) => {
			process.stderr.write(`${error.stack}\n`);
			process.exit(1);
		});
}
