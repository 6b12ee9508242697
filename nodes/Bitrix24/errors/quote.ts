/** The longest value a message quotes whole; a longer one is cut at a word (or a URL's part) near this length. */
const WHOLE = 80;

/** Where a long text may be cut: after a space, or after a URL's or a path's separator. */
const BREAK = /[\s/?&=#.,;:-]/;

/**
 * A value as a message quotes it: text whole when short, otherwise cut where a word (or a link's part) ends, with
 * "…"; control characters shown as "?"; a number or true/false as it is; a short list or object as JSON, a long
 * one by its kind. The one quoting of every message the node shows.
 */
export function quote(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (typeof value === 'string') return `"${cut(value.replace(/[\u0000-\u001f\u007f]/g, '?'))}"`;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	const json = JSON.stringify(value);
	if (json !== undefined && json.length <= WHOLE) return json;
	return Array.isArray(value) ? `a list of ${value.length}` : 'an object';
}

function cut(text: string): string {
	if (text.length <= WHOLE) return text;
	let end = WHOLE;
	// Back to where a word or a link's part ends: before a separator, or just after one.
	while (end > WHOLE / 2 && !BREAK.test(text[end]) && !BREAK.test(text[end - 1])) end--;
	if (end <= WHOLE / 2) end = WHOLE;
	return `${text.slice(0, end).trimEnd()}…`;
}
