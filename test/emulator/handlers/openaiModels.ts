// GET /v1/models and GET /v1/models/:model: Ollama's ListWriter and RetrieveWriter
// (O:middleware/openai.go; O:openai/openai.go ToListCompletion, ToModel) over the native tags and
// show handlers.

import { DEFAULT_NAMESPACE, parseName } from '../names';
import type { State } from '../state';
import type { Exchange } from '../wire';
import { show, tags } from './models';
import { encode, OpenAIWriter, unixSeconds } from './openaiWire';

export const MODELS_PREFIX = '/v1/models/';

/** model.ParseName(name).Namespace: `library` unless the name has one. */
function ownerOf(name: string): string {
	return parseName(name)?.namespace ?? DEFAULT_NAMESPACE;
}

function modelObject(id: string, modifiedAt: unknown) {
	return { id, object: 'model', created: unixSeconds(modifiedAt, false), owned_by: ownerOf(id) };
}

interface NativeListItem {
	name?: string;
	model?: string;
	modified_at?: string;
}

class ListWriter extends OpenAIWriter {
	protected writeResponse(body: unknown): string {
		const models = (body as { models?: NativeListItem[] }).models ?? [];
		const data = models.map((m) => modelObject(m.model || m.name || '', m.modified_at));
		// An empty Go slice that was never appended to is nil: `"data":null`.
		return encode({ object: 'list', data: data.length ? data : null });
	}
}

class RetrieveWriter extends OpenAIWriter {
	constructor(private readonly model: string) {
		super(false);
	}

	protected writeResponse(body: unknown): string {
		return encode(modelObject(this.model, (body as { modified_at?: string }).modified_at));
	}
}

export async function openaiListModels(ex: Exchange, body: Buffer, state: State): Promise<void> {
	ex.dialect = new ListWriter();
	await tags(ex, body, state);
}

/** The `:model` path segment as gin gives it: percent-decoded. */
export function modelParam(path: string): string {
	const raw = path.slice(MODELS_PREFIX.length);
	try {
		return decodeURIComponent(raw);
	} catch {
		return raw;
	}
}

export async function openaiRetrieveModel(ex: Exchange, _body: Buffer, state: State) {
	const model = modelParam(ex.entry.path);
	ex.dialect = new RetrieveWriter(model);
	await show(ex, Buffer.from(JSON.stringify({ name: model }), 'utf8'), state);
}
