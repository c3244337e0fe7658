const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitText {
	text: string;
	thinking: string;
}

/**
 * Separates `<think>…</think>` blocks that older reasoning models write into their answer text,
 * chunk by chunk, so it works on a live stream: a tag split across chunks is held back until
 * it is complete.
 */
export class ThinkTagSplitter {
	private inside = false;

	private pending = '';

	/** Whether any think block was seen. */
	sawTags = false;

	push(chunk: string): SplitText {
		let buffer = this.pending + chunk;
		this.pending = '';
		const out: SplitText = { text: '', thinking: '' };
		while (buffer !== '') {
			const tag = this.inside ? CLOSE : OPEN;
			const at = buffer.indexOf(tag);
			if (at !== -1) {
				this.emit(out, buffer.slice(0, at));
				buffer = buffer.slice(at + tag.length);
				this.inside = !this.inside;
				this.sawTags = true;
				continue;
			}
			const keep = partialTagLength(buffer, tag);
			this.emit(out, buffer.slice(0, buffer.length - keep));
			this.pending = buffer.slice(buffer.length - keep);
			break;
		}
		return out;
	}

	/** What was held back at the end of the stream. */
	flush(): SplitText {
		const out: SplitText = { text: '', thinking: '' };
		this.emit(out, this.pending);
		this.pending = '';
		return out;
	}

	private emit(out: SplitText, piece: string): void {
		if (this.inside) out.thinking += piece;
		else out.text += piece;
	}
}

/** Length of the longest end of `text` that is the start of `tag`. */
function partialTagLength(text: string, tag: string): number {
	for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
		if (text.endsWith(tag.slice(0, length))) return length;
	}
	return 0;
}

/** Splits a complete text at once. */
export function splitThinkTags(text: string): SplitText & { sawTags: boolean } {
	const splitter = new ThinkTagSplitter();
	const head = splitter.push(text);
	const tail = splitter.flush();
	const answer = head.text + tail.text;
	return {
		text: splitter.sawTags ? answer.replace(/^\s+/, '') : answer,
		thinking: (head.thinking + tail.thinking).trim(),
		sawTags: splitter.sawTags,
	};
}
