// Hints for what goes wrong in particular setups (issue 17): each from a failure as the client
// makes it out of what n8n's request helper throws, or out of Ollama's answer.
import type { INode } from 'n8n-workflow';

import { OllamaFailure } from '../../nodes/core/failures';
import { httpFailure, requestFailure } from '../../nodes/core/transport';
import { hintFor, nodeErrorFor } from '../../nodes/n8n/errors';
import { startEmulator } from '../emulator';
import { clientFor } from '../ai/host';

const request = { method: 'POST' as const, path: '/api/chat', timeoutMs: 0 };
const noStop = { cancelSignal: () => undefined };
const node = { name: 'Ollama', type: 'n8n-nodes-ollama.test', typeVersion: 1 } as INode;

/** The hint for what n8n's helper threw, requesting `baseUrl`. */
function hintForThrown(error: Error, baseUrl: string, api?: 'openai'): string {
	return hintFor(requestFailure(error, noStop, request), { baseUrl, api });
}

describe('hints for particular setups', () => {
	it("n8n's SSRF protection: which variable allows the host", () => {
		const blocked = Object.assign(
			new Error('The request was blocked because it resolves to a restricted IP address'),
			{ name: 'SsrfBlockedIpError', ip: '10.0.0.5', hostname: 'gpu-box' },
		);
		expect(hintForThrown(blocked, 'http://gpu-box:11434')).toBe(
			"n8n's SSRF protection blocked the request to http://gpu-box:11434 (10.0.0.5). An n8n administrator can allow it with N8N_SSRF_ALLOWED_HOSTNAMES=gpu-box or N8N_SSRF_ALLOWED_IP_RANGES=10.0.0.5/32 in n8n's environment.",
		);
	});

	it('ECONNREFUSED at ::1: use 127.0.0.1', () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED ::1:11434'), {
			code: 'ECONNREFUSED',
			address: '::1',
		});
		expect(hintForThrown(refused, 'http://localhost:11434')).toBe(
			'http://localhost:11434 was refused at ::1, the IPv6 address "localhost" resolves to first. Ollama listens on 127.0.0.1 only by default: use http://127.0.0.1:11434 as the Base URL (or start Ollama with OLLAMA_HOST=[::]).',
		);
		// Refused at 127.0.0.1: the general hint (is Ollama running, Docker).
		const v4 = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), {
			code: 'ECONNREFUSED',
		});
		expect(hintForThrown(v4, 'http://localhost:11434')).toMatch(/^Nothing is listening/);
	});

	it('host.docker.internal unknown (Docker on Linux): the --add-host fix', () => {
		const unknown = Object.assign(new Error('getaddrinfo ENOTFOUND host.docker.internal'), {
			code: 'ENOTFOUND',
		});
		expect(hintForThrown(unknown, 'http://host.docker.internal:11434')).toMatch(
			/--add-host=host\.docker\.internal:host-gateway/,
		);
		expect(hintForThrown(unknown, 'http://ollama.lan:11434')).toMatch(/could not be resolved/);
	});

	it('500 "model requires more system memory": a smaller model, Context Length, unload others', () => {
		const failure = httpFailure(
			500,
			{},
			{ error: 'model requires more system memory (12.3 GiB) than is available (7.9 GiB)' },
			'/api/chat',
		);
		failure.model = 'llama3.1:70b';
		expect(hintFor(failure, { baseUrl: 'http://localhost:11434' })).toBe(
			'"llama3.1:70b" needs more memory than the server has free. Choose a smaller model (or a smaller quantization), lower the Context Length option, or unload other models (Ollama Model Management → List Running, Unload).',
		);
	});

	it('a cloud model on a server not signed in (401 with signin_url): ollama signin, and the URL', async () => {
		const emulator = await startEmulator();
		try {
			const signin = 'https://ollama.com/connect?name=box&key=abc';
			emulator.addFault({ type: 'unauthorized', signinUrl: signin, path: '/api/chat' });
			const client = clientFor(emulator.url);
			const failure = (await client
				.chat({ model: 'gpt-oss:120b-cloud', messages: [{ role: 'user', content: 'Hi' }] })
				.catch((error: unknown) => error)) as OllamaFailure;
			expect(failure).toBeInstanceOf(OllamaFailure);
			expect(failure.signinUrl).toBe(signin);
			const error = nodeErrorFor(node, failure);
			expect(error.message).toBe('unauthorized');
			expect(error.description).toBe(
				`This is a cloud model, and the Ollama server is not signed in to ollama.com: run "ollama signin" on the server (or open ${signin} to connect it), then try again.`,
			);
		} finally {
			await emulator.close();
		}
	});
});
