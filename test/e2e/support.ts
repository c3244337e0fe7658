// Shared pieces of the real-n8n tests: the guard that keeps them out of the quick jest run,
// a user folder prepared like `npm start` does, and a streaming HTTP reader with timings.
import { request as httpRequest } from 'http';

import type { Emulator } from '../emulator';
import type { Execution, N8nInstance, NodeRun } from '../../scripts/n8n';
import { exampleCredentials, exampleWorkflows, request } from '../../scripts/n8n';

/** Real-n8n suites run only under jest.e2e.config.js (scripts/e2e.js), which sets this. */
export const describeE2e = process.env.N8N_OLLAMA_E2E === '1' ? describe : describe.skip;

/** Installs the package and imports the example credential (→ emulator) and every example. */
export async function prepare(n8n: N8nInstance, emulator: Emulator): Promise<void> {
	n8n.installPackage();
	await n8n.importCredentials(exampleCredentials(emulator.url));
	await n8n.importWorkflows(exampleWorkflows().map((example) => example.file));
}

export function exampleId(name: RegExp): string {
	const found = exampleWorkflows().find((example) => name.test(example.name));
	if (!found) throw new Error(`no example named like ${name}`);
	return found.id;
}

/** The output items (json) of a node's first run, first output. */
export function outputOf(run: Execution, node: string): Array<Record<string, unknown>> {
	const runs: NodeRun[] | undefined = run.data.resultData.runData[node];
	if (!runs) throw new Error(`node "${node}" did not run`);
	return (runs[0].data?.main[0] ?? []).map((item) => item.json);
}

export interface StreamLine {
	at: number;
	type: string;
	content?: string;
	metadata?: { nodeName?: string; itemIndex?: number };
}

/**
 * POSTs JSON and records every newline-separated JSON line with its arrival time (`at`, ms after
 * the request started at `startedAt`, a `Date.now()`).
 */
export function postAndReadLines(
	url: string,
	body: unknown,
): Promise<{
	status: number;
	lines: StreamLine[];
	startedAt: number;
	endedAt: number;
	headers: Record<string, unknown>;
}> {
	const payload = JSON.stringify(body);
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			url,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					'Content-Length': Buffer.byteLength(payload),
				},
			},
			(res) => {
				const lines: StreamLine[] = [];
				let buffered = '';
				res.setEncoding('utf8');
				res.on('data', (text: string) => {
					const at = Date.now() - started;
					buffered += text;
					const parts = buffered.split('\n');
					buffered = parts.pop() ?? '';
					for (const part of parts) {
						if (part.trim() === '') continue;
						lines.push({ at, ...(JSON.parse(part) as Omit<StreamLine, 'at'>) });
					}
				});
				res.on('end', () => {
					if (buffered.trim() !== '')
						lines.push({ at: Date.now() - started, ...JSON.parse(buffered) });
					resolve({
						status: res.statusCode ?? 0,
						lines,
						startedAt: started,
						endedAt: Date.now() - started,
						headers: res.headers,
					});
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** Models the emulator has (GET /api/tags), by name. */
export async function modelNames(emulator: Emulator): Promise<string[]> {
	const { body } = await getJson(`${emulator.url}/api/tags`);
	return (body as { models: Array<{ name: string }> }).models.map((m) => m.name);
}

export async function getJson(
	url: string,
	post?: unknown,
): Promise<{ status: number; body: unknown }> {
	const res = await request(
		url,
		post === undefined ? {} : { method: 'POST', body: post, timeoutMs: 10000 },
	);
	return { status: res.status, body: JSON.parse(res.body) };
}

const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2e',
	lastName: 'Owner',
	password: 'E2e-Passw0rd!',
};
export const BROWSER_ID = 'n8n-nodes-ollama-e2e-browser';

/** Owner setup over REST (a fresh instance has none); returns the auth cookie for later calls. */
export async function setupOwner(main: { url: string }): Promise<string> {
	const res = await request(`${main.url}/rest/owner/setup`, {
		method: 'POST',
		body: OWNER,
		headers: { 'browser-id': BROWSER_ID },
		timeoutMs: 15000,
	});
	if (res.status !== 200) throw new Error(`owner setup: HTTP ${res.status} ${res.body}`);
	const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string[]) ?? []);
	const auth = cookies.map((cookie) => cookie.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!auth) throw new Error(`owner setup set no n8n-auth cookie: ${cookies.join(' | ')}`);
	return auth;
}
