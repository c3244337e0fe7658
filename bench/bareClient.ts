/**
 * Bare Node `http`, no n8n and no axios: the anchor the benchmarks measure n8n paths against.
 * Run as a script it is the floor of the batch-generate benchmark: N generate requests from P
 * lanes with keep-alive, in a process of its own like n8n's. Prints `{"ms": …}`.
 * Usage: node bareClient.js <baseUrl> <items> <lanes> <model>
 */
import type { Agent as HttpAgent } from 'http';
import { Agent, request } from 'http';

/** One POST /api/generate, its answer read to the end. Node's global agent keeps connections alive. */
export function bareGenerate(
	baseUrl: string,
	body: { model: string; prompt: string; stream: boolean },
	agent?: HttpAgent,
): Promise<void> {
	return new Promise((resolve, reject) => {
		const req = request(`${baseUrl}/api/generate`, { method: 'POST', agent }, (res) => {
			res.on('data', () => undefined);
			res.on('end', resolve);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(JSON.stringify(body));
	});
}

async function main(baseUrl: string, items: number, lanes: number, model: string): Promise<void> {
	const agent = new Agent({ keepAlive: true, maxSockets: lanes });
	let next = 0;
	const started = Date.now();
	await Promise.all(
		Array.from({ length: lanes }, async () => {
			while (next < items) {
				const i = next++;
				await bareGenerate(
					baseUrl,
					{ model, prompt: `Item ${i}: say something short.`, stream: false },
					agent,
				);
			}
		}),
	);
	process.stdout.write(`${JSON.stringify({ ms: Date.now() - started })}\n`);
	agent.destroy();
}

if (require.main === module) {
	const [baseUrl, items, lanes, model] = process.argv.slice(2);
	main(baseUrl, Number(items), Number(lanes), model).catch((error: unknown) => {
		process.stderr.write(`${String(error)}\n`);
		process.exitCode = 1;
	});
}
