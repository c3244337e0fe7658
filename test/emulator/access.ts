// Ollama's Host check (allowedHostsMiddleware) and CORS origins (OLLAMA_ORIGINS).

import { isIP } from 'net';
import { hostname, networkInterfaces } from 'os';
import type { EmulatorConfig } from './config';
import type { Exchange } from './wire';

function ipv4Parts(ip: string): number[] {
	return ip.split('.').map(Number);
}

function localAddresses(): Set<string> {
	const out = new Set<string>();
	for (const list of Object.values(networkInterfaces())) {
		for (const a of list ?? []) out.add(a.address.toLowerCase());
	}
	return out;
}

function ipAllowed(ip: string): boolean {
	const v = ip.toLowerCase();
	if (isIP(v) === 4) {
		const [a, b] = ipv4Parts(v);
		if (a === 127 || a === 10 || v === '0.0.0.0') return true;
		if (a === 172 && b >= 16 && b <= 31) return true;
		if (a === 192 && b === 168) return true;
	} else {
		if (v === '::1' || v === '::') return true;
		if (/^f[cd][0-9a-f]{2}:/.test(v)) return true;
		if (v.startsWith('::ffff:')) return ipAllowed(v.slice(7));
	}
	return localAddresses().has(v);
}

/** Whether a request's Host header passes Ollama's check on a loopback listener. */
function hostAllowed(hostHeader: string | undefined): boolean {
	if (!hostHeader) return true;
	let host = hostHeader;
	if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
	else if (host.split(':').length === 2) host = host.split(':')[0];
	if (isIP(host)) return ipAllowed(host);
	host = host.toLowerCase();
	if (host === '' || host === 'localhost' || host === hostname().toLowerCase()) return true;
	return ['localhost', 'local', 'internal'].some((tld) => host.endsWith('.' + tld));
}

function isLoopbackListener(address: string): boolean {
	return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

const defaultOrigins = [
	...['localhost', '127.0.0.1', '0.0.0.0'].flatMap((h) => [
		`http://${h}`,
		`https://${h}`,
		`http://${h}:*`,
		`https://${h}:*`,
	]),
	'app://*',
	'file://*',
	'tauri://*',
	'vscode-webview://*',
	'vscode-file://*',
];
const extensionSchemes = [
	'chrome-extension://',
	'safari-extension://',
	'moz-extension://',
	'ms-browser-extension://',
];

function wildcard(pattern: string, value: string): boolean {
	if (pattern === '*') return true;
	const star = pattern.indexOf('*');
	if (star < 0) return pattern === value;
	return value.startsWith(pattern.slice(0, star)) && value.endsWith(pattern.slice(star + 1));
}

function originAllowed(origin: string, extra: string[]): boolean {
	if (extensionSchemes.some((s) => origin.startsWith(s))) return true;
	return [...extra, ...defaultOrigins].some((p) => wildcard(p, origin));
}

const CORS_HEADERS = {
	methods: 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS',
	headers:
		'Origin,Content-Length,Content-Type,Authorization,User-Agent,Accept,X-Requested-With,OpenAI-Beta,' +
		'x-stainless-arch,x-stainless-async,x-stainless-custom-poll-interval,x-stainless-helper-method,' +
		'x-stainless-lang,x-stainless-os,x-stainless-package-version,x-stainless-poll-helper,' +
		'x-stainless-retry-count,x-stainless-runtime,x-stainless-runtime-version,x-stainless-timeout',
};

/**
 * Ollama's origin and Host checks, answering CORS preflights. Returns false when the exchange
 * has been answered (refused with 403 or a preflight with 204).
 */
export function accessAllowed(ex: Exchange, config: EmulatorConfig, listenHost: string): boolean {
	if (!config.checkHost) return true;
	const origin = ex.req.headers.origin;
	if (origin) {
		if (!originAllowed(origin, config.origins)) {
			ex.empty(403);
			return false;
		}
		ex.res.setHeader('Access-Control-Allow-Origin', origin);
		ex.res.setHeader('Vary', 'Origin');
		if (ex.req.method === 'OPTIONS' && ex.req.headers['access-control-request-method']) {
			ex.res.setHeader('Access-Control-Allow-Methods', CORS_HEADERS.methods);
			ex.res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS.headers);
			ex.res.setHeader('Access-Control-Max-Age', '43200');
			ex.empty(204);
			return false;
		}
	}
	if (!isLoopbackListener(listenHost)) return true;
	const host = ex.req.headers.host;
	if (!hostAllowed(host)) {
		ex.empty(403);
		return false;
	}
	// allowedHostsMiddleware answers OPTIONS itself when the Host is a name, not an IP.
	const bare = (host ?? '').replace(/:\d+$/, '');
	if (ex.req.method === 'OPTIONS' && host && !isIP(bare) && !bare.startsWith('[')) {
		ex.empty(204);
		return false;
	}
	return true;
}
