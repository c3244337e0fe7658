// HEAD and POST /api/blobs/:digest

import { sha256 } from '../registry';
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

export async function postBlob(ex: Exchange, body: Buffer, state: State): Promise<void> {
	const digest = digestOf(ex);
	if (!digest) return ex.json(400, { error: 'invalid digest format' });
	if (state.registry.blobs.has(digest)) return ex.empty(200);
	const got = 'sha256:' + sha256(body);
	if (got !== digest) {
		return ex.json(400, {
			error: `digest mismatch, expected ${JSON.stringify(digest)}, got ${JSON.stringify(got)}`,
		});
	}
	state.registry.blobs.set(digest, body.length);
	ex.empty(201);
}
