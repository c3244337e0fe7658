import { mapInOrder } from '../../nodes/core/concurrency';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapInOrder', () => {
	it('returns results in input order although they finish in another order', async () => {
		const results = await mapInOrder(5, 5, async (i) => {
			await delay((5 - i) * 10);
			return i * 10;
		});
		expect(results).toEqual([0, 10, 20, 30, 40].map((value) => ({ ok: true, value })));
	});

	it('never has more than the limit in flight, and does use all of it', async () => {
		let inFlight = 0;
		let peak = 0;
		await mapInOrder(20, 4, async () => {
			peak = Math.max(peak, ++inFlight);
			await delay(5);
			inFlight--;
		});
		expect(peak).toBe(4);
	});

	it('keeps a failure to its own index and runs the rest', async () => {
		const results = await mapInOrder(3, 2, async (i) => {
			if (i === 1) throw new Error('bad item');
			return i;
		});
		expect(results[0]).toEqual({ ok: true, value: 0 });
		expect(results[1]).toMatchObject({ ok: false, error: new Error('bad item') });
		expect(results[2]).toEqual({ ok: true, value: 2 });
	});

	it('starts no new task after the signal aborts', async () => {
		const controller = new AbortController();
		const started: number[] = [];
		const results = await mapInOrder(
			10,
			2,
			async (i) => {
				started.push(i);
				if (i === 1) controller.abort();
				await delay(5);
				return i;
			},
			{ signal: controller.signal, notStarted: (i) => new Error(`not started ${i}`) },
		);
		expect(started).toEqual([0, 1]);
		expect(results[5]).toMatchObject({ ok: false, error: new Error('not started 5') });
	});

	it('handles zero items and a limit above the count', async () => {
		expect(await mapInOrder(0, 8, async () => 1)).toEqual([]);
		expect(await mapInOrder(2, 64, async (i) => i)).toHaveLength(2);
	});
});
