/** The middle value (the upper one of an even count): what the bench quotes, as farm-bench does. */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}
