// keep_alive as Ollama's api.Duration reads it (number = seconds, string = time.ParseDuration).

import { MAX_DURATION_NS } from './clock';
import { goQuote } from './json';

const units: Record<string, number> = {
	ns: 1,
	us: 1e3,
	µs: 1e3,
	μs: 1e3,
	ms: 1e6,
	s: 1e9,
	m: 60e9,
	h: 3600e9,
};

/** time.ParseDuration: nanoseconds, or throws an Error with Go's message. */
export function parseGoDuration(text: string): number {
	const orig = text;
	let s = text;
	let neg = false;
	if (s[0] === '-' || s[0] === '+') {
		neg = s[0] === '-';
		s = s.slice(1);
	}
	if (s === '0') return 0;
	if (s === '') throw new Error(`time: invalid duration ${goQuote(orig)}`);
	let total = 0;
	while (s !== '') {
		const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
		const whole = m[1];
		const frac = m[2];
		if (whole === '' && (frac === undefined || frac === '')) {
			throw new Error(`time: invalid duration ${goQuote(orig)}`);
		}
		s = s.slice(m[0].length);
		const u = /^[^0-9.]*/.exec(s)![0];
		if (u === '') throw new Error(`time: missing unit in duration ${goQuote(orig)}`);
		const scale = units[u];
		if (scale === undefined) {
			throw new Error(`time: unknown unit ${goQuote(u)} in duration ${goQuote(orig)}`);
		}
		s = s.slice(u.length);
		total += Number(whole || '0') * scale + Number(`0.${frac ?? ''}` || '0') * scale;
	}
	return neg ? -total : total;
}

/** A keep_alive in nanoseconds as a bigint; MAX_DURATION_NS means forever. Throws Go's error text. */
export function parseKeepAlive(v: unknown): bigint {
	if (typeof v === 'number') {
		if (v < 0) return MAX_DURATION_NS;
		return BigInt(Math.trunc(v * 1e9));
	}
	if (typeof v === 'string') {
		const ns = parseGoDuration(v);
		if (ns < 0) return MAX_DURATION_NS;
		return BigInt(Math.trunc(ns));
	}
	const goType = Array.isArray(v)
		? '[]interface {}'
		: typeof v === 'boolean'
			? 'bool'
			: 'map[string]interface {}';
	throw new Error(`Unsupported type: '${goType}'`);
}
