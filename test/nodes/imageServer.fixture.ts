import { createServer, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import { MAX_IMAGE_BYTES } from '../../nodes/core/images';
import { PNG } from './generation.fixture';

/** A GIF89a 1×1, to tell images apart in what Ollama receives. */
export const GIF = Buffer.from(
	'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
	'base64',
);

export interface ImageServer {
	/** http://127.0.0.1:port */
	url: string;
	/** Paths asked for, in order. */
	requests: string[];
	close(): Promise<void>;
}

/**
 * A small HTTP server on 127.0.0.1 serving what image URLs meet: a PNG, a GIF sent as
 * application/octet-stream, a text file, an SVG, a 404, a 500, a redirect to the PNG, a body
 * larger than the limit with its Content-Length (25 MB), the same without one (chunked), an empty body,
 * and one that never answers.
 */
export async function startImageServer(): Promise<ImageServer> {
	const requests: string[] = [];
	const server: Server = createServer((req, res) => {
		const path = (req.url ?? '/').split('?')[0];
		requests.push(req.url ?? '/');
		// A response the client gives up on must not crash the server.
		res.on('error', () => {});
		switch (path) {
			case '/photo.png':
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
				return res.end(PNG);
			case '/photo.gif':
				res.writeHead(200, { 'content-type': 'application/octet-stream' });
				return res.end(GIF);
			case '/note.txt':
				res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
				return res.end('not an image');
			case '/logo.svg':
				res.writeHead(200, { 'content-type': 'image/svg+xml' });
				return res.end('<svg xmlns="http://www.w3.org/2000/svg"/>');
			case '/error':
				res.writeHead(500, 'Internal Server Error');
				return res.end('boom');
			case '/moved':
				res.writeHead(302, { location: '/photo.png' });
				return res.end();
			case '/empty.png':
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': 0 });
				return res.end();
			case '/huge.png':
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': 25 * 1024 * 1024 });
				return writeHuge(res, 25 * 1024 * 1024);
			case '/endless.png':
				res.writeHead(200, { 'content-type': 'image/png' });
				return writeHuge(res, MAX_IMAGE_BYTES + PNG.length);
			case '/hang':
				return; // never answers
			default:
				res.writeHead(404, 'Not Found', { 'content-type': 'text/plain' });
				return res.end('no such image');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A PNG then zeros, `total` bytes, in 1 MB writes that wait for the reader. */
function writeHuge(res: ServerResponse, total: number): void {
	const block = Buffer.alloc(1024 * 1024);
	let sent = 0;
	const next = () => {
		while (sent < total && !res.destroyed) {
			const chunk = sent === 0 ? Buffer.concat([PNG, block]).subarray(0, block.length) : block;
			const size = Math.min(chunk.length, total - sent);
			sent += size;
			if (!res.write(chunk.subarray(0, size))) return void res.once('drain', next);
		}
		if (!res.destroyed) res.end();
	};
	next();
}
