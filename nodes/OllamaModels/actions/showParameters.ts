import type { IDataObject } from 'n8n-workflow';

import { PARAMETER_TYPES } from '../modelfile';

/**
 * /api/show's `parameters` text ("stop   \"<|eot|>\"" lines) as an object with typed values;
 * a key that appears more than once (stop) becomes a list.
 */
export function parseParameters(text: string): IDataObject {
	const result: IDataObject = {};
	for (const line of text.split('\n')) {
		const match = /^(\S+)\s+(.*)$/.exec(line.trim());
		if (!match) continue;
		const [, key, raw] = match;
		const value = typed(key, unquote(raw.trim()));
		if (PARAMETER_TYPES[key] === 'strings' || key in result) {
			const existing = result[key];
			result[key] = [
				...(Array.isArray(existing) ? existing : existing === undefined ? [] : [existing]),
				value,
			];
		} else {
			result[key] = value;
		}
	}
	return result;
}

function unquote(value: string): string {
	if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
		try {
			return JSON.parse(value) as string;
		} catch {
			return value.slice(1, -1);
		}
	}
	return value;
}

function typed(key: string, value: string): string | number | boolean {
	const type = PARAMETER_TYPES[key];
	if ((type === 'integer' || type === 'float') && value !== '' && !Number.isNaN(Number(value)))
		return Number(value);
	if (type === 'boolean' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
	return value;
}
