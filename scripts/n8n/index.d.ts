// Types for the TypeScript e2e tests (test/e2e) of the plain-JS helpers in this folder.
import type { ChildProcess } from 'child_process';

export interface N8nPaths {
	cacheDir: string;
	nodeDir: string;
	nodeBin: string;
	n8nBin: string;
	n8nVersion: string;
	nodeVersion: string;
}
export function provision(dir?: string): N8nPaths;
export function paths(dir?: string): N8nPaths;
export function isProvisioned(dir?: string): boolean;
export function cacheDir(): string;

export interface CommandResult {
	code: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** n8n's execution data as `n8n execute --rawOutput` prints it (only what the tests read). */
export interface ExecutionError {
	message: string;
	description?: string;
	httpCode?: string;
	node?: { name: string };
	[key: string]: unknown;
}
export interface NodeRun {
	executionStatus?: string;
	error?: ExecutionError;
	data?: {
		main: Array<Array<{
			json: Record<string, unknown>;
			binary?: Record<string, Record<string, unknown>>;
		}> | null>;
	};
}
export interface Execution {
	status?: string;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: ExecutionError;
			lastNodeExecuted?: string;
		};
	};
}
export interface ExecuteResult {
	/** 128 when n8n was killed by a signal (see `signal`). */
	code: number;
	signal?: NodeJS.Signals | null;
	run: Execution;
	error?: ExecutionError;
	logs: string;
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export class N8nInstance {
	constructor(options: {
		userFolder: string;
		encryptionKey?: string;
		env?: Record<string, string | number | undefined>;
		n8n?: N8nPaths;
	});
	static temporary(prefix?: string): N8nInstance;
	readonly userFolder: string;
	env(extra?: Record<string, string | number | undefined>): NodeJS.ProcessEnv;
	run(args: string[], extraEnv?: Record<string, string>): Promise<CommandResult>;
	runOrThrow(args: string[], extraEnv?: Record<string, string>): Promise<CommandResult>;
	installPackage(): string;
	importCredentials(credentials: CredentialImport[]): Promise<void>;
	importWorkflows(files: string[]): Promise<void>;
	publishWorkflow(id: string): Promise<void>;
	execute(id: string): Promise<ExecuteResult>;
	logFile(name: string): string;
	remove(): void;
}
export function findExecution(logs: string): Execution | undefined;

export interface Service {
	name: string;
	pid: number;
	child: ChildProcess;
	exited: string | undefined;
	url?: string;
	port?: number;
	output(): string;
	onOutput(listener: (text: string) => void): () => void;
	stop(timeoutMs?: number): Promise<void>;
}
export function startN8n(
	instance: N8nInstance,
	options?: { port?: number; ui?: boolean; redisPort?: number; echo?: boolean; timeoutMs?: number },
): Promise<Service & { url: string }>;
export function startWorker(
	instance: N8nInstance,
	options: { redisPort: number; concurrency?: number; echo?: boolean; timeoutMs?: number },
): Promise<Service & { url: string }>;
export function waitForWebhook(
	service: Service & { url: string },
	path: string,
	options?: { timeoutMs?: number },
): Promise<string>;
export function startRedis(): Promise<Service & { port: number }>;
export function ensureRedis(): string;
export function stopAll(services?: Service[]): Promise<void>;
export function runCommand(
	command: string,
	args: string[],
	options?: { env?: Record<string, string | undefined>; cwd?: string; input?: string },
): Promise<CommandResult>;

export const EXAMPLE_CREDENTIAL: { id: string; name: string; type: string };
export function exampleCredential(baseUrl: string): CredentialImport;
export const OPENAI_EXAMPLE_CREDENTIAL: { id: string; name: string; type: string };
export function exampleCredentials(baseUrl: string): CredentialImport[];
export interface Example {
	file: string;
	id: string;
	name: string;
	workflow: {
		nodes: Array<{
			name: string;
			type: string;
			webhookId?: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, { id: string; name: string }>;
		}>;
	};
}
export function exampleWorkflows(): Example[];
export function webhookPaths(
	workflow: Example['workflow'],
): Array<{ path: string; method: string }>;
/** Production chat URL paths (`<webhookId>/chat`) of the workflow's public Chat Triggers. */
export function chatPaths(workflow: Example['workflow']): string[];
export const examplesFolder: string;

export function request(
	url: string,
	options?: {
		method?: string;
		body?: unknown;
		headers?: Record<string, string>;
		timeoutMs?: number;
	},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }>;
export function waitFor<T>(
	what: string,
	check: () => T | Promise<T>,
	options?: { timeoutMs?: number; intervalMs?: number; abort?: () => string | undefined },
): Promise<T>;
export function sleep(ms: number): Promise<void>;
export function freePort(): Promise<number>;
export function freePorts(count: number): Promise<number[]>;

/** /usr/bin/chromium, installed with `apt-get install -y chromium` when missing. */
export function ensureChromium(): string;
export interface EditorCheck {
	/** "owner set up" on the first visit, "signed in" after. */
	signedIn: string;
	/** Names of the nodes on the workflow's canvas. */
	canvasNodes: string[];
	/** Parameters rendered in the node's panel (e.g. model, prompt, concurrency). */
	parameters: string[];
	credential?: string;
	selectedModel?: string;
	/** The model list's entries as shown, e.g. "qwen3:latest 8.2B (tools, thinking)". */
	models: string[];
	/** Milliseconds per step. */
	timings: Record<string, number>;
}
export function checkEditor(options: {
	baseUrl: string;
	workflowId: string;
	nodeName: string;
	expectParameters?: string[];
	expectModels?: string[];
	screenshot?: string;
	timeoutMs?: number;
}): Promise<EditorCheck>;
