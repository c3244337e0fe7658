/**
 * The floor for the batch-generate benchmark: the same N generate requests sent with bare Node
 * `http` (keep-alive, no n8n, no axios) by P lanes, in a process of its own like n8n's. Prints
 * `{"ms": …}`. Usage: node bareClient.js <baseUrl> <items> <lanes> <model>
 */
import { Agent, request } from 'http';

const [baseUrl, itemsArg, lanesArg, model] = process.argv.slice(2);
const items = Number(itemsArg);
const lanes = Number(lanesArg);
const agent = new Agent({ keepAlive: true, maxSockets: lanes });

function generate(prompt: string): Promise<void> {
	const body = JSON.stringify({ model, prompt, stream: false });
	return new Promise((resolve, reject) => {
		const req = request(`${baseUrl}/api/generate`, { method: 'POST', agent }, (res) => {
			res.on('data', () => undefined);
			res.on('end', resolve);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

async function main(): Promise<void> {
	let next = 0;
	const started = Date.now();
	await Promise.all(
		Array.from({ length: lanes }, async () => {
			while (next < items) {
				const i = next++;
				await generate(`Item ${i}: say something short.`);
			}
		}),
	);
	process.stdout.write(`${JSON.stringify({ ms: Date.now() - started })}\n`);
	agent.destroy();
}

main().catch((error: unknown) => {
	process.stderr.write(`${String(error)}\n`);
	process.exitCode = 1;
});
