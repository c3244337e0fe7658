import type { IExecuteFunctions } from 'n8n-workflow';

import { ThinkTagSplitter } from '../core/thinkTags';

export interface LiveStream {
	/** New answer text and reasoning as they arrive; true when the stream is live (not silent). */
	push(text: string, thinking: string): boolean;
	/** Ends the item's stream; `error` is sent first when the item failed. */
	end(error?: Error): void;
}

const SILENT: LiveStream = { push: () => false, end: () => {} };

/**
 * Sends one item's tokens live to a streaming trigger (begin, item…, end), as n8n's AI Agent
 * does. Reasoning, including `<think>` blocks inside the text, is sent only when asked.
 */
export function openLiveStream(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: { enabled: boolean; includeThinking: boolean },
): LiveStream {
	if (!settings.enabled || !context.isStreaming()) return SILENT;
	const tags = new ThinkTagSplitter();
	const send = (text: string, thinking: string) => {
		if (settings.includeThinking && thinking) context.sendChunk('item', itemIndex, thinking);
		if (text) context.sendChunk('item', itemIndex, text);
	};
	context.sendChunk('begin', itemIndex);
	return {
		push(text, thinking) {
			const split = tags.push(text);
			send(split.text, thinking + split.thinking);
			return true;
		},
		end(error) {
			const rest = tags.flush();
			send(rest.text, rest.thinking);
			if (error) context.sendChunk('error', itemIndex, error.message);
			context.sendChunk('end', itemIndex);
		},
	};
}
