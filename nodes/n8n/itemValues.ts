import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parameterErrors } from './parameterError';
import type { ParameterContext } from './context';

/** `={{ $json.a }}`, `={{ $json.a.b }}`, `={{ $json["a b"] }}`: the keys; undefined for any other value. */
export function plainJsonPath(raw: unknown): string[] | undefined {
	if (typeof raw !== 'string') return undefined;
	const whole =
		/^=\{\{\s*\$json((?:\s*(?:\.[A-Za-z_$][\w$]*|\[\s*(?:'[^'\\]*'|"[^"\\]*")\s*\]))+)\s*\}\}$/.exec(
			raw,
		);
	if (!whole) return undefined;
	const keys: string[] = [];
	const part = /\.([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\]/g;
	for (let match = part.exec(whole[1]); match; match = part.exec(whole[1])) {
		keys.push(match[1] ?? match[2] ?? match[3]);
	}
	return keys;
}

/**
 * Per-item values of a parameter. The usual `={{ $json.field }}` is read straight from the input
 * item: the same value n8n's expression engine gives, at a small fraction of its cost (which is
 * about a quarter of a millisecond per item, more than embedding a short text). Any other
 * expression or value goes through `getNodeParameter`.
 */
export function itemValueReader(
	context: IExecuteFunctions,
	name: string,
): (itemIndex: number) => unknown {
	const path = plainJsonPath(context.getNodeParameter(name, 0, '', { rawExpressions: true }));
	if (!path) return (itemIndex) => context.getNodeParameter(name, itemIndex);
	const items = context.getInputData();
	return (itemIndex) => {
		let value: unknown = items[itemIndex]?.json;
		for (const key of path) {
			if (
				value === null ||
				typeof value !== 'object' ||
				!Object.prototype.hasOwnProperty.call(value, key)
			)
				return undefined;
			value = (value as IDataObject)[key];
		}
		return value;
	};
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A per-item reader that reads once when the top-level parameters it depends on hold no
 * expression: their value is then the same for every item, and n8n's parameter resolution (about
 * 0.1 ms a read) is paid once per execution instead of once per item. A read that fails is not kept, so each item
 * still gets its own error. The value is shared between items: callers must not change it.
 */
export function constantPerItem<T>(
	context: IExecuteFunctions,
	parameters: string[],
	read: (itemIndex: number) => T,
): (itemIndex: number) => T {
	const raw = context.getNode().parameters;
	if (parameters.some((name) => holdsExpression(raw[name]))) return read;
	let kept: { value: T } | undefined;
	return (itemIndex) => (kept ??= { value: read(itemIndex) }).value;
}

/**
 * A node-wide count (Batch Size, Concurrency), read from the first item: a whole number from 1
 * to `max`. Anything else is refused, never rounded or clamped into something the user did not ask for.
 */
export function readCount(
	context: ParameterContext,
	name: string,
	displayName: string,
	max = Infinity,
): number {
	const value = context.getNodeParameter(name, 0, 1) as unknown;
	const count = typeof value === 'string' && value.trim() === '' ? NaN : Number(value);
	if (!Number.isInteger(count) || count < 1 || count > max) {
		const range = max === Infinity ? 'of 1 or more' : `from 1 to ${max}`;
		throw parameterErrors(context, 0)(
			displayName,
			`"${displayName}" must be a whole number ${range}, not ${JSON.stringify(value)}.`,
		);
	}
	return count;
}
