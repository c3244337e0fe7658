import { IdleWatch } from '../../nodes/core/idleWatch';

/** A sleep the test releases by hand, and a clock it sets. */
function fakeTime() {
	let now = 1_000_000;
	const sleeps: Array<{ ms: number; signal?: AbortSignal; wake: () => void }> = [];
	jest.spyOn(Date, 'now').mockImplementation(() => now);
	const sleep = jest.fn(
		async (ms: number, signal?: AbortSignal) =>
			await new Promise<void>((resolve, reject) => {
				sleeps.push({ ms, signal, wake: resolve });
				signal?.addEventListener('abort', () => reject(new Error('aborted')));
			}),
	);
	/** Moves the clock on and lets the pending sleep end. */
	const pass = async (ms: number) => {
		now += ms;
		sleeps.shift()?.wake();
		await new Promise((resolve) => setImmediate(resolve));
	};
	return { sleep, sleeps, pass };
}

afterEach(() => jest.restoreAllMocks());

describe('IdleWatch: a stream silent for the Timeout is aborted', () => {
	it('with Timeout 0 there is no signal and no timer', () => {
		const time = fakeTime();
		const watch = new IdleWatch(0, time.sleep);
		expect(watch.signal).toBeUndefined();
		expect(time.sleep).not.toHaveBeenCalled();
	});

	it('checks every quarter of the Timeout and aborts once it has passed without a byte', async () => {
		const time = fakeTime();
		const watch = new IdleWatch(1000, time.sleep);
		expect(time.sleeps[0].ms).toBe(250);
		await time.pass(250);
		await time.pass(250);
		await time.pass(250);
		expect(watch.signal!.aborted).toBe(false);
		await time.pass(249);
		expect(watch.signal!.aborted).toBe(false);
		await time.pass(1);
		expect(watch.signal!.aborted).toBe(true);
		expect(watch.signal!.reason).toMatchObject({
			message: 'The stream stalled.',
			code: 'ETIMEDOUT',
		});
		expect(time.sleeps).toHaveLength(0);
	});

	it('a chunk restarts the count', async () => {
		const time = fakeTime();
		const watch = new IdleWatch(1000, time.sleep);
		await time.pass(250);
		await time.pass(250);
		await time.pass(250);
		watch.touch();
		await time.pass(250);
		await time.pass(250);
		await time.pass(250);
		expect(watch.signal!.aborted).toBe(false);
		await time.pass(250);
		expect(watch.signal!.aborted).toBe(true);
	});

	it('stop() ends the watch: no abort afterwards', async () => {
		const time = fakeTime();
		const watch = new IdleWatch(1000, time.sleep);
		const pending = time.sleeps[0];
		watch.stop();
		expect(pending.signal!.aborted).toBe(true);
		await new Promise((resolve) => setImmediate(resolve));
		expect(watch.signal!.aborted).toBe(false);
		expect(time.sleep).toHaveBeenCalledTimes(1);
	});

	it('never checks more often than every 10 ms', () => {
		const time = fakeTime();
		new IdleWatch(20, time.sleep);
		expect(time.sleeps[0].ms).toBe(10);
	});

	it('remembers when the last byte came', async () => {
		const time = fakeTime();
		const watch = new IdleWatch(1000, time.sleep);
		const start = watch.lastByteAt;
		await time.pass(100);
		watch.touch();
		expect(watch.lastByteAt).toBe(start + 100);
	});
});
