import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ClientSettings } from '../core/client';
import { OllamaClient } from '../core/client';
import { CREDENTIAL_TYPE } from './credential';
import type { HttpContext } from './http';
import { sha256 } from './modelFiles';
import { n8nHttp } from './http';

export interface ClientContext extends HttpContext {
	getNode(): INode;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/** The Ollama client for this node's credential, with n8n's request helper, timer and stop signal. */
export async function connectClient(
	context: ClientContext,
	settings: ClientSettings = {},
): Promise<OllamaClient> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	const http = n8nHttp(context, {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		data: credentials,
	});
	return new OllamaClient(
		{ http, sleep, cancelSignal: () => context.getExecutionCancelSignal?.(), sha256 },
		String(credentials.baseUrl ?? ''),
		{
			...settings,
			api: credentials.api === 'openai' ? 'openai' : 'ollama',
			hosts: hostList(credentials.hosts),
		},
	);
}

/** The credential's More Hosts: one per line (commas and spaces also separate). */
export function hostList(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,]+/)
		.filter((host) => host !== '');
}
