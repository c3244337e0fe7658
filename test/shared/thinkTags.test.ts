import { ThinkTagSplitter, splitThinkTags } from '../../nodes/core/thinkTags';

describe('splitThinkTags', () => {
	it('moves a leading think block out of the answer', () => {
		expect(splitThinkTags('<think>\nLet me see.\n</think>\n\nThe answer is 4.')).toEqual({
			text: 'The answer is 4.',
			thinking: 'Let me see.',
			sawTags: true,
		});
	});

	it('leaves text without tags untouched', () => {
		expect(splitThinkTags('  plain answer ')).toEqual({
			text: '  plain answer ',
			thinking: '',
			sawTags: false,
		});
	});

	it('treats an unclosed think block as thinking', () => {
		expect(splitThinkTags('<think>still going')).toMatchObject({
			text: '',
			thinking: 'still going',
		});
	});
});

describe('ThinkTagSplitter', () => {
	const source = '<think>reason here</think>Answer <b>bold</b> done';

	it.each([1, 2, 3, 5, 7])('gives the same result whatever the chunk size (%i)', (size) => {
		const splitter = new ThinkTagSplitter();
		let text = '';
		let thinking = '';
		for (let i = 0; i < source.length; i += size) {
			const out = splitter.push(source.slice(i, i + size));
			text += out.text;
			thinking += out.thinking;
		}
		const tail = splitter.flush();
		expect(text + tail.text).toBe('Answer <b>bold</b> done');
		expect(thinking + tail.thinking).toBe('reason here');
	});

	it('holds back a possible tag start and releases it when it is not a tag', () => {
		const splitter = new ThinkTagSplitter();
		expect(splitter.push('a <thi')).toEqual({ text: 'a ', thinking: '' });
		expect(splitter.push('s is text')).toEqual({ text: '<this is text', thinking: '' });
	});
});
