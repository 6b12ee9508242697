import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import type { Sandbox } from '../sandbox/server';

/**
 * VibeCode runs at most 2 requests at a time per portal and makes the others wait (docs/vibecode-contract.md,
 * "Rate limits and concurrency"); the sandbox does not simulate that queue. This puts one in front of a running
 * sandbox: requests beyond `concurrency` wait, in arrival order, until one in progress has been answered (latency
 * included). Used by the benchmark and the queue-mode suite, where several executions share one key. Returns a
 * function that removes the queue again and reports the most requests that waited at once.
 */
export function portalQueue(sandbox: Sandbox, concurrency = 2): () => { maxWaiting: number } {
	const server = (sandbox as unknown as { server: Server }).server;
	const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
	let running = 0;
	let maxWaiting = 0;
	const waiting: Array<() => void> = [];
	const queued = (req: IncomingMessage, res: ServerResponse) => {
		const start = () => {
			running++;
			res.once('close', () => {
				running--;
				waiting.shift()?.();
			});
			for (const handler of handlers) handler.call(server, req, res);
		};
		if (running < concurrency) return start();
		waiting.push(start);
		maxWaiting = Math.max(maxWaiting, waiting.length);
	};
	server.removeAllListeners('request');
	server.on('request', queued);
	let removed = false;
	return () => {
		if (!removed) {
			removed = true;
			server.removeListener('request', queued);
			for (const handler of handlers) server.on('request', handler);
		}
		return { maxWaiting };
	};
}
