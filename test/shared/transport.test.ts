import { Readable } from 'stream';

import { OllamaFailure } from '../../nodes/core/failures';
import { isRetryable } from '../../nodes/core/retry';
import type { ClientHost, HttpAnswer, OllamaRequest } from '../../nodes/core/transport';
import { sendRequest } from '../../nodes/core/transport';

const BASE_URL = 'http://localhost:11434';
const chat: OllamaRequest = { method: 'POST', path: '/api/chat', timeoutMs: 300 };

function answering(answer: Partial<HttpAnswer>): ClientHost {
	return {
		http: async () => ({ statusCode: 200, headers: {}, body: undefined, ...answer }),
		sleep: async () => {},
	};
}

function throwing(error: unknown, cancelled = false): ClientHost {
	const controller = new AbortController();
	if (cancelled) controller.abort();
	return {
		http: async () => {
			throw error;
		},
		sleep: async () => {},
		cancelSignal: () => controller.signal,
	};
}

async function failureOf(host: ClientHost, request = chat): Promise<OllamaFailure> {
	const outcome = await sendRequest(host, BASE_URL, request).then(
		() => undefined,
		(error: unknown) => error,
	);
	if (!(outcome instanceof OllamaFailure)) throw new Error(`expected a failure, got ${outcome}`);
	return outcome;
}

/** What n8n's request helper throws: Node's error with a code, or an error without one. */
function nodeError(message: string, fields: Record<string, unknown> = {}): Error {
	return Object.assign(new Error(message), fields);
}

describe('HTTP status', () => {
	it('passes any 2xx answer on', async () => {
		const response = await sendRequest(answering({ statusCode: 299, body: 'ok' }), BASE_URL, chat);
		expect(response).toEqual({ status: 299, headers: {}, body: 'ok' });
	});

	it.each([300, 399])('refuses HTTP %i as a redirect', async (status) => {
		const failure = await failureOf(
			answering({ statusCode: status, headers: { location: 'http://elsewhere:8080/login' } }),
		);
		expect(failure.kind).toBe('redirect');
		expect(failure.message).toBe(
			`The server at ${BASE_URL} answered /api/chat with a redirect (HTTP ${status}) to http://elsewhere:8080/login. Redirects are not followed, so the credential was not sent there.`,
		);
	});

	it.each([[{}], [{ location: '' }]])(
		'says a redirect had no Location when its header is %j',
		async (headers) => {
			const failure = await failureOf(answering({ statusCode: 302, headers }));
			expect(failure.message).toContain('with a redirect (HTTP 302) with no Location.');
		},
	);

	it("closes a redirect's streamed body instead of leaving the connection open", async () => {
		const body = Readable.from(['<html>moved</html>']);
		await failureOf(answering({ statusCode: 301, body }), { ...chat, stream: true });
		expect(body.destroyed).toBe(true);
	});

	it("fails HTTP 400 with Ollama's text, as an HTTP error", async () => {
		const failure = await failureOf(
			answering({ statusCode: 400, body: { error: 'invalid model name' } }),
		);
		expect(failure).toMatchObject({
			kind: 'http',
			status: 400,
			message: 'invalid model name',
		});
	});
});

describe('error text of an HTTP failure', () => {
	const textOf = async (body: unknown, status = 500) =>
		(await failureOf(answering({ statusCode: status, body }))).message;

	it.each([[undefined], [null], ['  \n']])(
		'says there was no text for a body of %j',
		async (body) => {
			expect(await textOf(body, 502)).toBe('Ollama answered HTTP 502 with no error text');
		},
	);

	it('takes the message of an error object (OpenAI-style proxies)', async () => {
		expect(await textOf({ error: { message: 'quota exceeded', type: 'limit' } })).toBe(
			'quota exceeded',
		);
	});

	it('shows other JSON as JSON, at most 500 characters', async () => {
		expect(await textOf({ detail: 'Not Found' })).toBe('{"detail":"Not Found"}');
		expect(await textOf({ detail: 'x'.repeat(1000) })).toHaveLength(500);
	});

	it('shows plain text trimmed and at most 1,000 characters', async () => {
		expect(await textOf('404 page not found\n', 404)).toBe('404 page not found');
		expect(await textOf('y'.repeat(5000))).toBe('y'.repeat(1000));
	});

	it("reads Ollama's JSON from a body that came as text", async () => {
		expect(await textOf('{"error":"unexpected EOF"}\n', 400)).toBe('unexpected EOF');
	});

	it('names an HTML error page by its title', async () => {
		expect(
			await textOf(
				'<!DOCTYPE html><html><head><title>\n  504 Gateway Time-out\n</title></head></html>',
				504,
			),
		).toBe('504 Gateway Time-out (an HTML error page, not from Ollama)');
		expect(await textOf('<HTML><body>Service Unavailable</body></HTML>', 503)).toBe(
			'An HTML error page, not from Ollama',
		);
	});

	it('shows an error field that is null as the JSON it came in, without failing on it', async () => {
		expect(await textOf({ error: null })).toBe('{"error":null}');
	});

	it('keeps the sign-in URL of a 401 only when it is an http(s) address, also from text', async () => {
		const signinOf = async (body: unknown) =>
			(await failureOf(answering({ statusCode: 401, body }))).signinUrl;
		const signin = 'https://ollama.com/connect?name=box&key=abc';
		expect(await signinOf({ error: 'unauthorized', signin_url: signin })).toBe(signin);
		expect(await signinOf(`\n {"error":"unauthorized","signin_url":"${signin}"}`)).toBe(signin);
		expect(await signinOf(Buffer.from(JSON.stringify({ signin_url: signin })))).toBe(signin);
		expect(await signinOf({ signin_url: 'http://10.0.0.5:8080/connect' })).toBe(
			'http://10.0.0.5:8080/connect',
		);
		// A link the user would click must not run script or open another scheme.
		expect(await signinOf({ signin_url: 'javascript:alert(1)//https://ollama.com' })).toBe(
			undefined,
		);
		expect(await signinOf({ signin_url: 'ftp://ollama.com/connect' })).toBe(undefined);
		expect(await signinOf('{"signin_url": broken')).toBe(undefined);
	});

	it('keeps a text that only mentions HTML as it is', async () => {
		const texts = [
			'expected JSON but the prompt began with <!doctype html>',
			'template error near <html><title>t</title>',
		];
		for (const text of texts) expect(await textOf(text, 400)).toBe(text);
	});
});

describe('no answer', () => {
	it.each(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'])(
		'reports %s as the timeout, and retries it',
		async (code) => {
			const failure = await failureOf(throwing(nodeError(`${code} happened`, { code })));
			expect(failure.message).toBe('Ollama did not answer /api/chat within the timeout of 300 ms.');
			expect(isRetryable(failure)).toBe(true);
		},
	);

	it('reports a stopped execution as cancelled, and does not retry it', async () => {
		const failure = await failureOf(
			throwing(nodeError('socket hang up', { code: 'ECONNRESET' }), true),
		);
		expect(failure).toMatchObject({ kind: 'cancelled', message: 'The execution was cancelled.' });
		expect(isRetryable(failure)).toBe(false);
	});

	it('reports a request the HTTP layer cancelled, and does not retry it', async () => {
		const failure = await failureOf(throwing(nodeError('canceled', { code: 'ERR_CANCELED' })));
		expect(failure).toMatchObject({ kind: 'cancelled', message: 'The request was cancelled.' });
		expect(isRetryable(failure)).toBe(false);
	});

	it('reports a connection cut after the headers as a reset, and retries it', async () => {
		const failure = await failureOf(throwing(nodeError('aborted', { code: 'ERR_BAD_RESPONSE' })));
		expect(failure).toMatchObject({
			kind: 'network',
			code: 'ECONNRESET',
			message: 'The connection to Ollama was cut while /api/chat was answering.',
		});
		expect(isRetryable(failure)).toBe(true);
	});

	it('does not take another bad response, or another aborted connection, for that cut', async () => {
		const bad = await failureOf(
			throwing(nodeError('maxContentLength size of 10 exceeded', { code: 'ERR_BAD_RESPONSE' })),
		);
		expect(bad.message).toBe('Could not connect to Ollama: maxContentLength size of 10 exceeded');
		const reset = await failureOf(throwing(nodeError('aborted', { code: 'ECONNRESET' })));
		expect(reset.message).toBe('Could not connect to Ollama: the connection was reset');
	});

	it.each([
		['ECONNREFUSED', 'connection refused'],
		['ECONNRESET', 'the connection was reset'],
		['ENOTFOUND', 'host not found'],
		['EAI_AGAIN', 'the host name could not be resolved (DNS)'],
		['EHOSTUNREACH', 'host unreachable'],
		['ENETUNREACH', 'host unreachable'],
	])('words %s for the user', async (code, words) => {
		const failure = await failureOf(
			throwing(nodeError(`connect ${code} 10.0.0.9:11434`, { code })),
		);
		expect(failure).toMatchObject({
			kind: 'network',
			code,
			message: `Could not connect to Ollama: ${words}`,
		});
	});

	it.each([
		['EPROTO', 'write EPROTO'],
		['ERR_SSL_WRONG_VERSION_NUMBER', 'SSL routines failed'],
		['ECONNRESET', 'ssl3_get_record:wrong version number'],
	])('reports TLS spoken to a plain-HTTP server (%s, "%s")', async (code, message) => {
		const failure = await failureOf(throwing(nodeError(message, { code })));
		expect(failure).toMatchObject({
			kind: 'network',
			code: 'EPROTO',
			message: 'Could not connect to Ollama: the server did not answer over TLS (https)',
		});
	});

	it('reports a request Node refused to build as not sent, even when the error has a code', async () => {
		const header = Object.assign(
			new TypeError('Invalid character in header content ["x-api-key"]'),
			{ code: 'ERR_INVALID_CHAR' },
		);
		const tooLong = Object.assign(
			new RangeError('Cannot create a string longer than 0x1fffffe8 characters'),
			{ code: 'ERR_STRING_TOO_LONG' },
		);
		for (const error of [header, tooLong]) {
			const wrapped = nodeError('Request failed', { cause: error });
			const failure = await failureOf(throwing(wrapped));
			expect(failure).toMatchObject({
				kind: 'configuration',
				message: `The request to /api/chat could not be sent: ${error.message}`,
			});
			expect(isRetryable(failure)).toBe(false);
		}
	});

	it('reports an error with no code anywhere as not sent', async () => {
		const failure = await failureOf(throwing(nodeError('Converting circular structure to JSON')));
		expect(failure).toMatchObject({
			kind: 'configuration',
			message: 'The request to /api/chat could not be sent: Converting circular structure to JSON',
		});
	});

	it('finds the code and the last non-empty message down the chain of causes', async () => {
		const error = nodeError('Request failed', {
			code: '',
			cause: nodeError('connect failed', {
				cause: nodeError('', { code: 'ECONNREFUSED' }),
			}),
		});
		const failure = await failureOf(throwing(error));
		expect(failure.message).toBe('Could not connect to Ollama: connection refused');
		const unnamed = nodeError('connect failed', { cause: nodeError('', { code: 'ENETDOWN' }) });
		expect((await failureOf(throwing(unnamed))).message).toBe(
			'Could not connect to Ollama: connect failed',
		);
	});

	it('says "unknown error" when nothing in the chain has a message', async () => {
		const failure = await failureOf(throwing({ code: 'ENETDOWN' }));
		expect(failure.message).toBe('Could not connect to Ollama: unknown error');
	});

	it('answers for an error whose cause is null or loops back to itself', async () => {
		const empty = nodeError('socket closed', { cause: null });
		expect((await failureOf(throwing(empty))).message).toBe(
			'The request to /api/chat could not be sent: socket closed',
		);
		const loop = nodeError('looped');
		Object.assign(loop, { cause: loop });
		expect((await failureOf(throwing(loop))).message).toBe(
			'The request to /api/chat could not be sent: looped',
		);
	});

	it('passes on a failure our own code raised under n8n, as it is', async () => {
		const own = new OllamaFailure('Header name "Host" is reserved', { kind: 'configuration' });
		const wrapped = nodeError('n8n wrapper', { cause: nodeError('inner', { cause: own }) });
		expect(await failureOf(throwing(wrapped))).toBe(own);
	});
});
