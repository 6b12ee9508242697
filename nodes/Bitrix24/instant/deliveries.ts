/**
 * The memory of recent deliveries. Bitrix24's queue may deliver one event more than once (after a slow answer, a
 * restart of its queue server); a delivery seen before starts nothing. The memory lives in the n8n process that
 * receives the calls (webhooks are received by the main process, also in queue mode), one per workflow and node,
 * and holds the most recent deliveries only: at the bound the one seen longest ago is forgotten.
 */

/** How many deliveries each trigger node remembers: far more than Bitrix24 redelivers within its retry window. */
export const DELIVERY_MEMORY_SIZE = 10_000;

/** A set of delivery keys that keeps the newest `limit`, in the order they were first seen. */
export class DeliveryMemory {
	private readonly keys = new Set<string>();

	constructor(readonly limit = DELIVERY_MEMORY_SIZE) {}

	/**
	 * Notes `key` and says whether it is new. Called before anything is awaited, so that of two copies of one event
	 * arriving together exactly one is new.
	 */
	firstTime(key: string): boolean {
		if (this.keys.has(key)) return false;
		this.keys.add(key);
		// A Set iterates in insertion order: its first key is the oldest.
		while (this.keys.size > this.limit) this.keys.delete(this.keys.values().next().value as string);
		return true;
	}

	get size(): number {
		return this.keys.size;
	}
}

/** The memories of this process, one per workflow and trigger node (and per mode: a test listen is not production). */
const memories = new Map<string, DeliveryMemory>();

export function deliveryMemory(owner: string, limit = DELIVERY_MEMORY_SIZE): DeliveryMemory {
	let memory = memories.get(owner);
	if (!memory) {
		memory = new DeliveryMemory(limit);
		memories.set(owner, memory);
	}
	return memory;
}
