import { Box, Text, useApp } from "ink";
import { useState } from "react";
import type { State } from "../store/reduce.js";
import { ChecklistScreen } from "./checklist-screen.js";
import type { ChecklistStepSource } from "./checklist-source.js";
import { useIntents } from "./contexts.js";
import { DevicesScreen } from "./devices-screen.js";
import { FlashScreen } from "./flash-screen.js";
import { Footer } from "./footer.js";
import { Header } from "./header.js";
import { HelpScreen } from "./help-screen.js";
import { jobStage } from "./job-view.js";
import { createKeyCapture, KeyCaptureContext } from "./key-capture.js";
import { useKeys } from "./keyboard.js";
import { LogScreen } from "./log-screen.js";
import { Prose } from "./prose.js";
import { applyReplayStep, replayStepsFor } from "./replay-keys.js";
import { SCREENS, type ScreenId } from "./screens.js";
import { useStore } from "./use-store.js";
import { useViewport } from "./use-viewport.js";

export interface AppProps {
	initialScreen?: ScreenId;
	/**
	 * Step definitions for the Checklist screen (titles, instructions, expected values), or a
	 * function of the state (e.g. `() => engine.steps()`). Default: the doctor's checklist for the
	 * selected chip's family.
	 */
	checklistSteps?: ChecklistStepSource;
	/** Simulator scenarios the controller can plug; `p` on Devices offers them. */
	simProfiles?: string[];
}

/** The smallest terminal the screens are laid out for. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 12;

const flashRunning = (s: State) =>
	s.jobOrder.some((id) => {
		const job = s.jobs[id];
		return job !== undefined && jobStage(job) === "running";
	});

/**
 * The assistant: a header, one screen, the screen keys. Live output stays below the terminal's
 * height (Ink repaints the whole screen once its output fills the terminal), so the body is
 * rows - 3 lines: header, body, footer and one spare (rows - 4 in a replay: its step keys take a
 * footer line).
 */
export function App({ initialScreen = "devices", checklistSteps, simProfiles }: AppProps) {
	const { exit } = useApp();
	const intents = useIntents();
	const { columns, rows } = useViewport();
	const width = Math.max(MIN_COLUMNS, columns);
	const replay = intents.replay;
	const bodyHeight = Math.max(MIN_ROWS - 4, rows - (replay ? 4 : 3));
	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	const [screen, setScreen] = useState<ScreenId>(initialScreen);
	const [help, setHelp] = useState(false);
	const [askQuit, setAskQuit] = useState(false);
	const running = useStore(flashRunning);

	const [capture] = useState(createKeyCapture);

	const quit = () => {
		intents.quit();
		exit();
	};

	useKeys((input, key) => {
		// Ctrl+C asks first while a write runs, as q does; a second Ctrl+C means it.
		if (key.ctrl && input === "c") return running && !askQuit ? setAskQuit(true) : quit();
		if (askQuit) {
			if (input === "y") quit();
			else setAskQuit(false);
			return;
		}
		if (capture.active()) return;
		if (help) {
			setHelp(false);
			return;
		}
		if (input === "?") return setHelp(true);
		const steps = replay ? replayStepsFor(input, key) : [];
		if (replay && steps.length) {
			for (const step of steps) applyReplayStep(replay, step);
			return;
		}
		if (input === "q") return running ? setAskQuit(true) : quit();
		const target = SCREENS.find((s) => s.key === input);
		if (target) setScreen(target.id);
	});

	if (tooSmall)
		// Drawn into a smaller terminal the screens would wrap and scroll over themselves.
		return (
			<Box width={Math.max(1, columns)} height={Math.max(1, rows - 1)} overflow="hidden">
				<Prose>
					terminal too small (need {MIN_COLUMNS}x{MIN_ROWS}, have {columns}x{rows}): make the window
					larger; q quits
				</Prose>
			</Box>
		);
	return (
		<KeyCaptureContext.Provider value={capture}>
			<Box flexDirection="column" width={width}>
				<Header screen={screen} width={width} readOnly={intents.readOnly} replay={replay} />
				{askQuit ? (
					<Box height={bodyHeight} flexDirection="column">
						<Text bold>A flash is running.</Text>
						<Prose>
							Quitting now stops it after the current block: the chip keeps part of the image and
							needs flashing again. Quit anyway? y (or Ctrl+C again) quits, any other key stays.
						</Prose>
					</Box>
				) : help ? (
					<HelpScreen width={width} height={bodyHeight} replay={replay !== undefined} />
				) : screen === "devices" ? (
					<DevicesScreen width={width} height={bodyHeight} simProfiles={simProfiles} />
				) : screen === "flash" ? (
					<FlashScreen width={width} height={bodyHeight} />
				) : screen === "checklist" ? (
					<ChecklistScreen width={width} height={bodyHeight} steps={checklistSteps} />
				) : (
					<LogScreen width={width} height={bodyHeight} replay={replay !== undefined} />
				)}
				<Footer screen={screen} width={width} replay={replay !== undefined} />
			</Box>
		</KeyCaptureContext.Provider>
	);
}
