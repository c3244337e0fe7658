// The Ollama emulator: a protocol-faithful fake Ollama server for tests and CI.

export { startEmulator, type Emulator, type EmulatorOptions } from './server';
export { defaultConfig, type ConfigPatch, type EmulatorConfig, type LatencyConfig } from './config';
export { FAULT_TYPES, MODEL_ERROR, RUNNER_CRASH, type FaultSpec, type FaultType } from './faults';
export { maxInFlight, type RequestLogEntry } from './log';
export {
	DEFAULT_MODELS,
	REMOTE_MODELS,
	type Capability,
	type ModelSeed,
	type ThinkStyle,
} from './models';
export { replyFor, tokenise, type Reply, type ReplyRequest, type ToolCall } from './text';
export { embeddingFor, legacyEmbeddingFor } from './embedding';
export { goMarshal } from './json';
export { parseGoDuration } from './keepAlive';
