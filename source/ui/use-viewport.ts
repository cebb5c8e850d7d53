import { useStdout } from "ink";
import { useEffect, useState } from "react";

export interface Viewport {
	columns: number;
	rows: number;
}

/** Terminal size, following resizes; 80x24 when the stream does not say (pipes, tests). */
export function useViewport(): Viewport {
	const { stdout } = useStdout();
	const read = (): Viewport => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
		stdout.on("resize", onResize);
		return () => {
			stdout.off("resize", onResize);
		};
	}, [stdout]);
	return size;
}
