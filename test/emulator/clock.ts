// Wall-clock time in nanoseconds and Go's RFC3339Nano formatting.

const anchorWallNs = BigInt(Date.now()) * 1_000_000n;
const anchorHr = process.hrtime.bigint();

/** Current Unix time in nanoseconds, with sub-millisecond precision from the monotonic clock. */
export function nowNs(): bigint {
	return anchorWallNs + (process.hrtime.bigint() - anchorHr);
}

/** Monotonic nanoseconds, for durations. */
export function monoNs(): bigint {
	return process.hrtime.bigint();
}

/** The largest Go time.Duration: keep_alive < 0 means "forever". */
export const MAX_DURATION_NS = 9223372036854775807n;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** time.Time.Format(time.RFC3339Nano) in UTC: fraction trimmed of trailing zeros. */
export function rfc3339Nano(ns: bigint): string {
	const ms = ns / 1_000_000n;
	const d = new Date(Number(ms));
	const frac = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
	const fracText = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
	const year = d.getUTCFullYear();
	return (
		`${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
		`T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fracText}Z`
	);
}

export function nowText(): string {
	return rfc3339Nano(nowNs());
}

/** Nanoseconds elapsed since a monoNs() reading, never zero (Go's metrics are omitted when zero). */
export function since(start: bigint): number {
	const d = Number(monoNs() - start);
	return d > 0 ? d : 1;
}
