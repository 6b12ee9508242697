/**
 * Runs work(0..count-1) with at most `parallel` in flight, in index order. After the first error no new
 * index starts; the ones in flight finish, then that error is thrown.
 */
export async function runPool(count: number, parallel: number, work: (index: number) => Promise<void>): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (!failure && next < count) {
			const index = next++;
			try {
				await work(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, count)) }, worker));
	if (failure) throw failure.error;
}
