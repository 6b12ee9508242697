import type { INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ApiFailure, InputError, errorItem, nodeError } from '../../../nodes/Bitrix24/errors';

const node: INode = { id: 'n1', name: 'Bitrix24', type: 'n8n-nodes-bitrix24-vibecode.bitrix24', typeVersion: 1, position: [0, 0], parameters: {} };

test('an API error item: message, what to do, code, HTTP status, item index, the input fields, pairing', () => {
	const error = nodeError(node, new ApiFailure('ENTITY_NOT_FOUND', { status: 404 }), { itemIndex: 4 });
	expect(errorItem(error as NodeApiError, 4, { entityType: 'deal', entityId: 999999, triggerId: 'payment_received' })).toEqual({
		json: {
			error: 'The CRM record does not exist [ENTITY_NOT_FOUND]',
			description: expect.stringContaining('Check the Entity ID'),
			code: 'ENTITY_NOT_FOUND',
			httpCode: '404',
			itemIndex: 4,
			entityType: 'deal',
			entityId: 999999,
			triggerId: 'payment_received',
		},
		pairedItem: { item: 4 },
	});
});

test('an input error item has the same keys, with no HTTP status', () => {
	const error = nodeError(node, new InputError('Trigger is empty; got ""', 'Type a code.'), { itemIndex: 1 });
	const item = errorItem(error as NodeOperationError, 1, { entityType: 'deal', entityId: 5141, triggerId: '' });
	expect(item.json).toEqual({
		error: 'Trigger is empty; got ""',
		description: 'Type a code. Nothing was sent for this item.',
		code: 'INVALID_PARAMETER',
		httpCode: null,
		itemIndex: 1,
		entityType: 'deal',
		entityId: 5141,
		triggerId: '',
	});
	expect(Object.keys(item.json)).toEqual(Object.keys(errorItem(nodeError(node, new ApiFailure('TIMEOUT')) as NodeApiError, 0, { entityType: 'deal', entityId: 1, triggerId: 'x' }).json));
});
