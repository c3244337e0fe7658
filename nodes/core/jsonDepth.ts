/** Deeper than any real schema, far below where encoding the request body overflows the stack. */
export const MAX_JSON_DEPTH = 100;

/** Whether objects and arrays nest more than `max` levels deep (checked without recursion). */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
	const pending: Array<[unknown, number]> = [[value, 1]];
	while (pending.length > 0) {
		const [current, depth] = pending.pop() as [unknown, number];
		if (typeof current !== 'object' || current === null) continue;
		if (depth > max) return true;
		for (const child of Object.values(current)) pending.push([child, depth + 1]);
	}
	return false;
}
