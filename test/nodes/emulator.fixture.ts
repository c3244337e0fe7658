import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';

/**
 * One emulator for the test file: started before all tests, reset before each, closed after.
 * The returned object stands for it (use it inside tests, once beforeAll has run).
 */
export function useEmulator(): Emulator {
	let emulator: Emulator | undefined;
	beforeAll(async () => {
		emulator = await startEmulator();
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator?.reset());
	return new Proxy({} as Emulator, {
		get(_target, property) {
			if (!emulator) throw new Error('the emulator starts in beforeAll');
			const value = Reflect.get(emulator, property, emulator) as unknown;
			return typeof value === 'function' ? value.bind(emulator) : value;
		},
	});
}
