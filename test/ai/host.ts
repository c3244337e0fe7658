import http from 'node:http';
import type { INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { OllamaClient } from '../../nodes/core/client';
import type { ClientSettings } from '../../nodes/core/client';
import type { ClientHost, HttpAnswer, OllamaRequest } from '../../nodes/core/transport';

/** The client's host outside n8n: Node's http, n8n's timer. */
export function nodeHost(): ClientHost {
	return {
		http: async (baseUrl: string, request: OllamaRequest) =>
			await new Promise<HttpAnswer>((resolve, reject) => {
				const req = http.request(
					new URL(baseUrl + request.path),
					{
						method: request.method,
						headers: { 'content-type': 'application/json' },
						signal: request.signal,
					},
					(res) => {
						const answer = { statusCode: res.statusCode ?? 0, headers: res.headers };
						if (request.stream) return resolve({ ...answer, body: res });
						const chunks: Buffer[] = [];
						res.on('data', (chunk: Buffer) => chunks.push(chunk));
						res.on('error', reject);
						res.on('end', () => {
							const text = Buffer.concat(chunks).toString('utf8');
							try {
								resolve({ ...answer, body: JSON.parse(text) });
							} catch {
								resolve({ ...answer, body: text });
							}
						});
					},
				);
				req.on('error', reject);
				req.end(request.body === undefined ? undefined : JSON.stringify(request.body));
			}),
		sleep,
	};
}

export const clientFor = (url: string, settings: ClientSettings = {}) =>
	new OllamaClient(nodeHost(), url, { retry: { maxAttempts: 1 }, ...settings });

export const NODE: INode = {
	id: 'sub-node',
	name: 'Ollama Sub-node',
	type: 'n8n-nodes-ollama.ollamaChatModel',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
