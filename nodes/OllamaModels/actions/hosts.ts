import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { OllamaClient } from '../../core/client';
import { displayUrl, normalizeBaseUrl } from '../../core/url';
import { asNodeError } from '../../n8n/items';
import { parameterErrors } from '../../n8n/parameterError';

/** The Host parameter's value for every host of the credential. */
export const ALL_HOSTS = 'all';

/** Which host an operation acts on when the credential has More Hosts. */
export const hostProperty: INodeProperties = {
	displayName: 'Host Name or ID',
	name: 'host',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'listHosts' },
	default: ALL_HOSTS,
	hint: "Matters only when the credential has More Hosts. A host's ID is its URL.",
	description:
		'The host to act on: every host of the credential (one result per host), or one of them. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** What one host did for an item: its result, or its failure as n8n shows it. */
export type HostOutcome =
	{ host: string; value: IDataObject } | { host: string; error: ReturnType<typeof asNodeError> };

/** Whether the credential names several hosts (else every operation acts as on one server). */
export function isPool(client: OllamaClient): boolean {
	return client.hostUrls.length > 1;
}

/**
 * The hosts the item acts on by its Host parameter: every host, or the one it names (a URL of
 * the credential, compared without a trailing slash or user:password).
 */
export function chosenHosts(context: IExecuteFunctions, client: OllamaClient, i: number): string[] {
	const value = String(context.getNodeParameter('host', i, ALL_HOSTS) ?? '').trim();
	const hosts = client.hostUrls;
	if (value === '' || value === ALL_HOSTS) return hosts;
	const wanted = sameHostKey(value, client.api);
	const found = hosts.find((host) => sameHostKey(host, client.api) === wanted);
	if (found === undefined) {
		throw parameterErrors(context, i)(
			hostProperty.displayName,
			`"${displayUrl(value)}" is not one of the credential's hosts.`,
			`choose All Hosts or one of ${hosts.join(', ')}.`,
		);
	}
	return [found];
}

function sameHostKey(url: string, api: OllamaClient['api']): string {
	try {
		return displayUrl(normalizeBaseUrl(url, api)).toLowerCase();
	} catch {
		return url.toLowerCase();
	}
}

/** A client for one host of the pool. */
export function clientOn(client: OllamaClient, host: string): OllamaClient {
	const one = client.onHost(host);
	// hostUrls and onHost come from the same list: a host from the one is always in the other.
	if (!one) throw new Error(`${host} is not one of the credential's hosts.`);
	return one;
}

/** Runs `run` on every host at once; each host's failure is kept as its outcome. */
export async function onEachHost(
	context: IExecuteFunctions,
	client: OllamaClient,
	i: number,
	hosts: string[],
	run: (hostClient: OllamaClient, host: string) => Promise<IDataObject>,
): Promise<HostOutcome[]> {
	return await Promise.all(
		hosts.map(async (host): Promise<HostOutcome> => {
			try {
				return { host, value: await run(clientOn(client, host), host) };
			} catch (error) {
				return { host, error: asNodeError(context, error, i) };
			}
		}),
	);
}

/** The per-host list of the output: `{ host, ...result }` or `{ host, error, description }`. */
export function hostResults(outcomes: HostOutcome[]): IDataObject[] {
	return outcomes.map((outcome) => {
		if ('value' in outcome) return { host: outcome.host, ...outcome.value };
		const { error } = outcome;
		const entry: IDataObject = { host: outcome.host, error: error.message };
		if (error.description) entry.description = error.description;
		if (error instanceof NodeApiError && error.httpCode) entry.httpCode = error.httpCode;
		return entry;
	});
}

/** The results of the hosts that succeeded, in host order. */
export function succeeded(outcomes: HostOutcome[]): Array<{ host: string; value: IDataObject }> {
	return outcomes.filter((outcome) => 'value' in outcome);
}

/**
 * The item fails only when no host succeeded: with one error that names each host and what it
 * said (the first host's hint as its description).
 */
export function failIfNoneSucceeded(outcomes: HostOutcome[]): void {
	if (outcomes.length === 0 || succeeded(outcomes).length > 0) return;
	const failures = outcomes.filter((outcome) => 'error' in outcome);
	throw everyHostFailed(failures);
}

/** One error that names each host and what it said (the first host's hint as its description). */
export function everyHostFailed(
	failures: Array<{ host: string; error: ReturnType<typeof asNodeError> }>,
	lead = 'Every Ollama host failed.',
): ReturnType<typeof asNodeError> {
	const parts = failures.map((failure) => `${failure.host}: ${failure.error.message}`);
	const error = failures[0].error;
	error.message = `${lead} ${parts.join(' · ')}`;
	return error;
}

export interface ChosenHostsOutput {
	/** Fields of the output whatever the hosts (model, source...): left out of each host's result. */
	common: IDataObject;
	/**
	 * What the operation does on one host: its output as on a single server. `every`: the item
	 * acts on each of several hosts (then a host's failure is its own, not the item's).
	 */
	run: (hostClient: OllamaClient, host: string, every: boolean) => Promise<IDataObject>;
	/** Every host: top-level fields from the hosts that succeeded (in host order, at least one). */
	summary?: (done: Array<{ host: string; value: IDataObject }>) => IDataObject;
	/** Every host: a host's entry in `hosts` from its result (default: without the common fields). */
	entry?: (value: IDataObject) => IDataObject;
	/** Every host: throws when the item fails (default: when no host succeeded). */
	check?: (outcomes: HostOutcome[]) => void;
}

/**
 * An operation that takes the Host parameter. No More Hosts: `run` on the client, its output as
 * on a single server. One host chosen of several: `run` there, with `host` added. Every host:
 * `run` on each at once, and one output: the common fields, the summary and `hosts` with each
 * host's result or error; the item fails only when no host succeeded.
 */
export async function onChosenHosts(
	context: IExecuteFunctions,
	client: OllamaClient,
	i: number,
	operation: ChosenHostsOutput,
): Promise<IDataObject> {
	const hosts = chosenHosts(context, client, i);
	if (!isPool(client)) return await operation.run(client, hosts[0], false);
	if (hosts.length === 1) {
		const value = await operation.run(clientOn(client, hosts[0]), hosts[0], false);
		return { ...value, host: hosts[0] };
	}
	const outcomes = await onEachHost(
		context,
		client,
		i,
		hosts,
		async (hostClient, host) => await operation.run(hostClient, host, true),
	);
	(operation.check ?? failIfNoneSucceeded)(outcomes);
	const entry = operation.entry ?? ((value) => without(value, operation.common));
	const entries = outcomes.map((outcome) =>
		'value' in outcome ? { host: outcome.host, value: entry(outcome.value) } : outcome,
	);
	return {
		...operation.common,
		...operation.summary?.(succeeded(outcomes)),
		hosts: hostResults(entries),
	};
}

function without(value: IDataObject, common: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(value).filter(([key]) => !(key in common)));
}

/** What a list on several hosts gives: each host's entries, and the hosts that failed. */
export interface HostLists {
	lists: Array<{ host: string; entries: IDataObject[] }>;
	/** `{ failedHosts: [{ host, error }] }` when a host failed, else nothing: for every entry. */
	failedHosts: IDataObject;
}

/**
 * A list on each host at once. The item fails when every host failed, or when some failed and
 * the others listed nothing (an empty output would hide the failure); otherwise the hosts that
 * failed are named on every entry.
 */
export async function listOnHosts(
	context: IExecuteFunctions,
	client: OllamaClient,
	i: number,
	hosts: string[],
	list: (hostClient: OllamaClient) => Promise<IDataObject[]>,
): Promise<HostLists> {
	const outcomes = await onEachHost(context, client, i, hosts, async (hostClient) => ({
		entries: await list(hostClient),
	}));
	failIfNoneSucceeded(outcomes);
	const lists = succeeded(outcomes).map(({ host, value }) => ({
		host,
		entries: value.entries as IDataObject[],
	}));
	const failures = outcomes.filter((outcome) => 'error' in outcome);
	if (failures.length === 0) return { lists, failedHosts: {} };
	if (lists.every((entry) => entry.entries.length === 0)) {
		const others = lists.map((entry) => entry.host).join(', ');
		throw everyHostFailed(failures, `The other hosts (${others}) list none, and these failed.`);
	}
	return {
		lists,
		failedHosts: {
			failedHosts: hostResults(failures).map(({ host, error }) => ({ host, error })),
		},
	};
}
