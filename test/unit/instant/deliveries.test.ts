/** The bounded memory of recent deliveries. */
import { DELIVERY_MEMORY_SIZE, DeliveryMemory, deliveryMemory } from '../../../nodes/Bitrix24/instant/deliveries';

test('a key is new once; a repeat is not', () => {
	const memory = new DeliveryMemory(3);
	expect(memory.firstTime('a')).toBe(true);
	expect(memory.firstTime('a')).toBe(false);
	expect(memory.firstTime('b')).toBe(true);
	expect(memory.size).toBe(2);
});

test('at the bound the key seen longest ago is forgotten, and only that one', () => {
	const memory = new DeliveryMemory(3);
	for (const key of ['a', 'b', 'c', 'd']) expect(memory.firstTime(key)).toBe(true);
	expect(memory.size).toBe(3);
	// 'a' was forgotten, so it is new again (and pushes out 'b'); 'c' and 'd' are still remembered.
	expect(memory.firstTime('c')).toBe(false);
	expect(memory.firstTime('d')).toBe(false);
	expect(memory.firstTime('a')).toBe(true);
	expect(memory.firstTime('c')).toBe(false);
	expect(memory.firstTime('b')).toBe(true);
});

test('the default bound is 10,000 and holds under 25,000 keys; the newest 10,000 are remembered', () => {
	expect(DELIVERY_MEMORY_SIZE).toBe(10_000);
	const memory = new DeliveryMemory();
	for (let i = 0; i < 25_000; i++) memory.firstTime(`event|${i}`);
	expect(memory.size).toBe(10_000);
	expect(memory.firstTime('event|24999')).toBe(false);
	expect(memory.firstTime('event|15000')).toBe(false);
	expect(memory.firstTime('event|14999')).toBe(true);
});

test('one memory per owner (workflow and node): the same key is new for another trigger', () => {
	expect(deliveryMemory('wf-1/node-1').firstTime('k')).toBe(true);
	expect(deliveryMemory('wf-1/node-1').firstTime('k')).toBe(false);
	expect(deliveryMemory('wf-2/node-1').firstTime('k')).toBe(true);
	expect(deliveryMemory('wf-1/node-1')).toBe(deliveryMemory('wf-1/node-1'));
});
