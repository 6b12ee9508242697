import { runPool } from '../../../nodes/Bitrix24/helpers/pool';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test('runs every index once, in index order, with at most N in flight', async () => {
	let inFlight = 0;
	let peak = 0;
	const started: number[] = [];
	await runPool(10, 3, async (i) => {
		started.push(i);
		inFlight++;
		peak = Math.max(peak, inFlight);
		await tick();
		inFlight--;
	});
	expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	expect(peak).toBe(3);
});

test('after an error no new index starts; the ones in flight finish; then that error is thrown', async () => {
	const started: number[] = [];
	const finished: number[] = [];
	const run = runPool(10, 3, async (i) => {
		started.push(i);
		await tick();
		if (i === 4) throw new Error('item 4 failed');
		finished.push(i);
	});
	await expect(run).rejects.toThrow('item 4 failed');
	expect(started.length).toBeLessThan(10);
	expect(finished.sort((a, b) => a - b)).toEqual(started.filter((i) => i !== 4).sort((a, b) => a - b));
});

test('nothing to do, or fewer items than workers', async () => {
	const seen: number[] = [];
	await runPool(0, 4, async (i) => void seen.push(i));
	await runPool(2, 8, async (i) => void seen.push(i));
	expect(seen).toEqual([0, 1]);
});
