import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { inspect } from 'util';

import { hintFor, toNodeApiError } from '../../nodes/n8n/errors';
import type { OllamaClient } from '../../nodes/core/client';
import { OllamaFailure } from '../../nodes/core/failures';
import { withPullIfMissing } from '../../nodes/core/pullIfMissing';
import { httpFailure, requestFailure } from '../../nodes/core/transport';

const node = { name: 'Ollama', type: 'n8n-nodes-ollama.test', typeVersion: 1 } as INode;
const context = { baseUrl: 'http://user:secret@localhost:11434', model: 'llama3.2', itemIndex: 3 };

function mapped(status: number, body: unknown, contentType = 'application/json; charset=utf-8') {
	return toNodeApiError(
		node,
		httpFailure(status, { 'content-type': contentType }, body, '/api/chat'),
		context,
	);
}

describe('error mapping', () => {
	it.each([
		[
			404,
			{ error: "model 'llama9' not found" },
			"model 'llama9' not found",
			/ollama pull llama3\.2.*Pull Model If Missing/,
		],
		[
			404,
			{ error: 'model "x" not found, try pulling it first' },
			'model "x" not found, try pulling it first',
			/Pull the model/,
		],
		[
			400,
			{ error: '"nomic-embed-text" does not support chat' },
			'"nomic-embed-text" does not support chat',
			/cannot do "chat".*capability/,
		],
		[
			400,
			{ error: 'registry.ollama.ai/library/llama3.2:latest does not support tools' },
			'registry.ollama.ai/library/llama3.2:latest does not support tools',
			/cannot do "tools"/,
		],
		[401, { error: 'unauthorized' }, 'unauthorized', /Check the credential's Authentication/],
		[403, '', 'Ollama answered HTTP 403 with no error text', /Host header/],
		[
			503,
			{ error: 'server busy, please try again.  maximum pending requests exceeded' },
			'server busy, please try again.  maximum pending requests exceeded',
			/queue .* is full/,
		],
		[429, { error: 'rate limit exceeded' }, 'rate limit exceeded', /rate limiting/],
		[
			500,
			{ error: 'option "num_ctx" must be of type integer' },
			'option "num_ctx" must be of type integer',
			/wrong type/,
		],
		[
			500,
			{
				error:
					'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details',
			},
			/^model runner has unexpectedly stopped/,
			/lack of memory/,
		],
		[
			400,
			{ error: 'time: missing unit in duration "300"' },
			'time: missing unit in duration "300"',
			/Keep Alive takes/,
		],
	])("HTTP %i %j → Ollama's text as message, an actionable hint", (status, body, message, hint) => {
		const error = mapped(status, body);
		expect(error).toBeInstanceOf(NodeApiError);
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
		expect(error.description).toMatch(hint);
		expect(error.httpCode).toBe(String(status));
		expect(error.context.itemIndex).toBe(3);
	});

	it("handles gin's text/plain 404 of an endpoint the server lacks", () => {
		const error = mapped(404, '404 page not found', 'text/plain');
		expect(error.message).toBe('404 page not found');
		expect(error.description).toMatch(/has no \/api\/chat.*Base URL/);
	});

	it('turns a reverse proxy HTML page into one line naming it', () => {
		const error = mapped(
			502,
			'<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
			'text/html',
		);
		expect(error.message).toBe('502 Bad Gateway (an HTML error page, not from Ollama)');
		expect(error.description).toMatch(/proxy/);
	});

	it("keeps Ollama's text even where n8n would rewrite messages mentioning network codes", () => {
		const error = toNodeApiError(
			node,
			new OllamaFailure('Could not connect to Ollama: connection refused', {
				kind: 'network',
				code: 'ECONNREFUSED',
			}),
			context,
		);
		expect(error.message).toBe('Could not connect to Ollama: connection refused');
		expect(error.description).toMatch(/Is Ollama running.*host\.docker\.internal/);
	});

	it('never shows the password of a base URL in hints', () => {
		const failure = new OllamaFailure('x', { kind: 'network', code: 'ECONNREFUSED' });
		expect(hintFor(failure, context)).not.toContain('secret');
		expect(hintFor(failure, context)).toContain('http://localhost:11434');
	});

	it.each([
		['timeoutBeforeResponse', /Timeout option/],
		['timeoutIdle', /stalled/],
		['truncated', /stopped or restarted/],
		['protocol', /did not look like Ollama/],
		['cancelled', /stopped/],
	] as const)('gives a hint for %s failures', (kind, hint) => {
		expect(hintFor(new OllamaFailure('x', { kind }), context)).toMatch(hint);
	});

	it('points at Ignore SSL Issues for certificate failures', () => {
		const failure = new OllamaFailure('x', {
			kind: 'network',
			code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
		});
		expect(hintFor(failure, context)).toMatch(/Ignore SSL Issues/);
	});
});

describe('a missing model', () => {
	const missing = (status: number, text: string) =>
		httpFailure(status, {}, { error: text }, '/api/chat');

	/** Runs a call that fails once with `failure`, through Pull Model If Missing; returns what was pulled. */
	async function pullsFor(failure: OllamaFailure): Promise<{ pulled: string[]; result: unknown }> {
		const pulled: string[] = [];
		const client = {
			pull: async ({ model }: { model: string }) => {
				pulled.push(model);
				return {};
			},
		} as unknown as OllamaClient;
		let calls = 0;
		const result = await withPullIfMissing(client, 'llama3.2', async () => {
			if (++calls === 1) throw failure;
			return 'answer';
		}).catch((error: unknown) => error);
		return { pulled, result };
	}

	it.each([
		[404, "model 'llama3.2' not found"],
		[404, 'model "llama3.2" not found, try pulling it first'],
	])('pulls the model and runs again for HTTP %i %j', async (status, text) => {
		expect(await pullsFor(missing(status, text))).toEqual({
			pulled: ['llama3.2'],
			result: 'answer',
		});
		expect(mapped(status, { error: text }).description).toMatch(/Pull the model first/);
	});

	it.each([
		[500, "model 'llama3.2' not found"],
		[404, "draft model 'llama3.2-1b' not found"],
	])('neither pulls nor offers a pull for HTTP %i %j', async (status, text) => {
		const failure = missing(status, text);
		expect(await pullsFor(failure)).toEqual({ pulled: [], result: failure });
		expect(mapped(status, { error: text }).description).not.toMatch(/pull/i);
	});
});

describe('a failure in a log', () => {
	it('shows its name and what it came from, and no cause when there was none', () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), {
			code: 'ECONNREFUSED',
		});
		const failure = requestFailure(refused, {}, { method: 'GET', path: '/api/tags', timeoutMs: 0 });
		const log = inspect(failure);
		expect(log).toMatch(/^OllamaFailure: Could not connect to Ollama: connection refused\n/);
		expect(log).toContain('cause: Error: connect ECONNREFUSED 127.0.0.1:11434');
		expect(inspect(new OllamaFailure('Ollama sent no response', { kind: 'protocol' }))).not.toMatch(
			/cause/,
		);
	});
});
