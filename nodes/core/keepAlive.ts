import type { KeepAlive } from './types';

const UNIT = '(ns|us|µs|μs|ms|s|m|h)';
const NUMBER = '(\\d+(\\.\\d*)?|\\.\\d+)';
const GO_DURATION = new RegExp(`^[-+]?(${NUMBER}${UNIT})+$`);
const BARE_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * keep_alive as Ollama accepts it: a number of seconds, or a Go duration string. A unitless
 * string such as "300" is rejected by Ollama, so it is sent as the number 300.
 * Returns undefined for an empty value (the server's default applies).
 */
export function parseKeepAlive(value: unknown): KeepAlive | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value))
			throw new Error(`Keep Alive must be a finite number, not ${value}.`);
		return value;
	}
	const text = String(value).trim();
	if (text === '') return undefined;
	if (BARE_NUMBER.test(text)) return Number(text);
	if (GO_DURATION.test(text)) return text;
	throw new Error(
		`Keep Alive "${text}" is not a duration. Use e.g. 5m, 1h30m or 300ms, a number of seconds, -1 to keep the model loaded, or 0 to unload it at once.`,
	);
}
