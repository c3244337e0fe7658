import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// n8n-core writes its instance settings under N8N_USER_FOLDER when first loaded.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-harness-'));
process.env.N8N_ENCRYPTION_KEY ??= 'harness-test-key';
process.env.N8N_LOG_LEVEL ??= 'silent';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	StructuredChunk,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { HarnessCredentialsHelper } from './credentials';

export interface HarnessNode {
	type: new () => INodeType;
	parameters: INodeParameters;
	name?: string;
	typeVersion?: number;
	continueOnFail?: boolean;
}

export interface RunOptions {
	node: HarnessNode;
	/** Input items: plain JSON objects or full execution data (e.g. with binary). */
	items?: Array<IDataObject | INodeExecutionData>;
	/** Data of the ollamaServerApi credential. */
	credentials?: ICredentialDataDecryptedObject;
	mode?: WorkflowExecuteMode;
	/** Simulates a trigger in streaming response mode (Webhook / Chat Trigger). */
	streaming?: boolean;
}

export interface RunResult {
	/** The node's first output. */
	items: INodeExecutionData[];
	/** The execution's error, when the node failed (and did not continue on fail). */
	error?: ExecutionError;
	/** What the node sent with sendChunk, in order. */
	chunks: StructuredChunk[];
	run: IRun;
}

export interface RunningExecution {
	result: Promise<RunResult>;
	cancel(): void;
}

const NODE_NAME = 'Ollama Under Test';

/** Runs one of our nodes in n8n-core's real WorkflowExecute, as n8n runs it. */
export function startRun(options: RunOptions): RunningExecution {
	const nodeType = new options.node.type();
	const typeName = `n8n-nodes-ollama.${nodeType.description.name}`;
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: (_name, version) => NodeHelpers.getVersionedNodeType(nodeType, version),
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'node-under-test',
		name: options.node.name ?? NODE_NAME,
		type: typeName,
		typeVersion: options.node.typeVersion ?? latestVersion(nodeType),
		position: [0, 0],
		parameters: options.node.parameters,
		credentials: { ollamaServerApi: { id: 'cred-1', name: 'Ollama' } },
		continueOnFail: options.node.continueOnFail,
	};
	const workflowData: IWorkflowBase = {
		id: 'wf-harness',
		name: 'Harness',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});

	const mode = options.mode ?? (options.streaming ? 'webhook' : 'manual');
	const hooks = new ExecutionLifecycleHooks(mode, 'exec-1', workflowData);
	const chunks: StructuredChunk[] = [];
	hooks.addHandler('sendChunk', (chunk) => {
		chunks.push(chunk);
	});
	const additionalData = {
		executionId: 'exec-1',
		hooks,
		credentialsHelper: new HarnessCredentialsHelper({
			ollamaServerApi: options.credentials ?? {},
		}),
		streamingEnabled: options.streaming === true,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const items: INodeExecutionData[] = (options.items ?? [{}]).map((item) =>
		'json' in item && typeof item.json === 'object'
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node, data: { main: [items] }, source: null }],
		},
	});

	const execution = new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);
	const result = (async (): Promise<RunResult> => {
		let run: IRun;
		try {
			run = await execution;
		} catch (error) {
			// A cancelled execution rejects; the run data then lives on in the hooks' last call.
			throw error;
		}
		const task = run.data.resultData.runData[node.name]?.[0];
		return {
			items: task?.data?.main?.[0] ?? [],
			error: run.data.resultData.error,
			chunks,
			run,
		};
	})();
	return { result, cancel: () => execution.cancel() };
}

export async function runNode(options: RunOptions): Promise<RunResult> {
	return await startRun(options).result;
}

function latestVersion(nodeType: INodeType): number {
	const version = nodeType.description.version;
	return Array.isArray(version) ? Math.max(...version) : version;
}
