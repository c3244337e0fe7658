// What every handler can reach: config, installed models, slots.

import type { EmulatorConfig } from './config';
import type { Registry } from './registry';
import type { Slots } from './latency';
import type { Exchange } from './wire';

export interface State {
	config: EmulatorConfig;
	registry: Registry;
	slots: Slots;
}

export type Handler = (ex: Exchange, body: Buffer, state: State) => Promise<void>;
