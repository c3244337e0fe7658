// Image URLs go through n8n's request helper, so n8n's SSRF protection decides what may be
// fetched: with it on, an image on a loopback address is refused with the variable that would
// allow it, while the Ollama server (allowed by name) still answers the other item.
import { OllamaGenerate } from '../../nodes/OllamaGenerate/OllamaGenerate.node';
import { runNode } from '../harness/run';
import { useEmulator } from './emulator.fixture';
import { PNG, byName, nodeRun, sentTo } from './generation.fixture';
import type { ImageServer } from './imageServer.fixture';
import { startImageServer } from './imageServer.fixture';

const SSRF_ENV = {
	N8N_SSRF_PROTECTION_ENABLED: 'true',
	// The emulator is reached as "localhost", allowed by name; the image server at 127.0.0.1 is not.
	N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost',
};

const emulator = useEmulator();
let images: ImageServer;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
	// Read by n8n's SsrfProtectionConfig when the first request is made in this file.
	for (const [name, value] of Object.entries(SSRF_ENV)) {
		saved[name] = process.env[name];
		process.env[name] = value;
	}
	images = await startImageServer();
});
afterAll(async () => {
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	await images.close();
});

it("n8n's SSRF protection refuses an image URL on a blocked address and says what allows it", async () => {
	const { items } = await runNode({
		...nodeRun(
			emulator,
			OllamaGenerate,
			{
				model: byName('llava'),
				prompt: 'What is this?',
				options: { imageUrls: '={{ $json.url }}', imageData: '={{ $json.photo }}' },
			},
			{ items: [{ url: `${images.url}/photo.png` }, { photo: PNG.toString('base64') }] },
		),
		credentials: {
			baseUrl: emulator.url.replace('127.0.0.1', 'localhost'),
			authentication: 'none',
		},
	});
	expect(items[0].json.error).toBe(
		`Image URL ${images.url}/photo.png was blocked by n8n's SSRF protection (127.0.0.1).`,
	);
	expect(items[0].json.description).toBe(
		`Check the "Image URLs" option of item 0: n8n does not fetch from that address. If the image is meant to be reachable, an n8n administrator can allow it with N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32 in n8n's environment.`,
	);
	expect(images.requests).toEqual([]);
	// The other item went to Ollama as usual.
	expect(items[1].json.error).toBeUndefined();
	expect(sentTo(emulator, '/api/generate').images).toEqual([PNG.toString('base64')]);
});
