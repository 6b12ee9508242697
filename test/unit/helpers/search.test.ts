import { searchBody } from '../../../nodes/Bitrix24/helpers/search';

test('the body sorts with `sort`, pages by offset, and turns date windowing off', () => {
	expect(searchBody({ sort: { createdAt: 'asc', id: 'asc' }, filter: { '>=createdAt': '2026-01-01T00:00:00Z' }, limit: 50, offset: 100 })).toEqual({
		filter: { '>=createdAt': '2026-01-01T00:00:00Z' },
		sort: { createdAt: 'asc', id: 'asc' },
		limit: 50,
		offset: 100,
		autoWindow: false,
	});
});

test('select is sent when given; an absent filter is left out, an empty one is sent', () => {
	const body = searchBody({ sort: { id: 'desc' }, select: ['id', 'title'], limit: 50, offset: 0 });
	expect(body).toEqual({ sort: { id: 'desc' }, select: ['id', 'title'], limit: 50, offset: 0, autoWindow: false });
	expect(body).not.toHaveProperty('order');
	expect(searchBody({ sort: { id: 'asc' }, filter: {}, limit: 1, offset: 0 }).filter).toEqual({});
});
