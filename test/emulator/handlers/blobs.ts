// HEAD and POST /api/blobs/:digest

import { createHash } from 'crypto';

import type { State } from '../state';
import type { Exchange } from '../wire';

const digestRe = /^sha256[:-]([0-9a-fA-F]{64})$/;

function digestOf(ex: Exchange): string | undefined {
	const raw = decodeURIComponent(ex.entry.path.slice('/api/blobs/'.length));
	const m = digestRe.exec(raw);
	return m ? `sha256:${m[1].toLowerCase()}` : undefined;
}

export async function headBlob(ex: Exchange, _body: Buffer, state: State): Promise<void> {
	const digest = digestOf(ex);
	if (!digest) return ex.json(400, { error: 'invalid digest format' });
	if (!state.registry.blobs.has(digest))
		return ex.json(404, { error: `blob ${JSON.stringify(digest)} not found` });
	ex.empty(200);
}

/** Reads the upload as a stream, hashing as it goes; answers 200 at once for a blob it has. */
export async function postBlob(ex: Exchange, _body: Buffer, state: State): Promise<void> {
	const digest = digestOf(ex);
	if (!digest || state.registry.blobs.has(digest)) {
		ex.req.resume();
		return digest ? ex.empty(200) : ex.json(400, { error: 'invalid digest format' });
	}
	const hash = createHash('sha256');
	let bytes = 0;
	try {
		for await (const chunk of ex.req as AsyncIterable<Buffer>) {
			hash.update(chunk);
			bytes += chunk.length;
		}
	} catch {
		return; // the client went away mid-upload: nothing is stored
	} finally {
		ex.entry.bodyBytes = bytes;
	}
	const got = `sha256:${hash.digest('hex')}`;
	if (got !== digest) {
		return ex.json(400, {
			error: `digest mismatch, expected ${JSON.stringify(digest)}, got ${JSON.stringify(got)}`,
		});
	}
	state.registry.blobs.set(digest, bytes);
	ex.empty(201);
}
