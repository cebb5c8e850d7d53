import { useState } from "react";
import type { Intents } from "../app/intents.js";
import { App, type AppProps } from "./app.js";
import { IntentsContext, StoreViewContext, ThemeContext } from "./contexts.js";
import { emptyDraft, type FlashDraft, FlashDraftContext } from "./flash-draft.js";
import { createKeyboard, type Keyboard, KeyboardProvider } from "./keyboard.js";
import type { StoreView } from "./store-view.js";
import { defaultTheme, type Theme } from "./theme.js";
import { type ListDir, ListDirContext, readDirectory } from "./use-path-completion.js";

export interface RootProps extends AppProps {
	view: StoreView;
	intents: Intents;
	theme?: Theme;
	/** Directory listing for Tab completion; tests pass a fake tree. */
	listDir?: ListDir;
	/** Tests that type at the app watch the keyboard drain. */
	keyboard?: Keyboard;
}

/** The App with everything it reads provided: store view, intents, theme, file listing. */
export function Root({
	view,
	intents,
	theme = defaultTheme,
	listDir = readDirectory,
	keyboard: given,
	...app
}: RootProps) {
	const draft = useState<FlashDraft>(emptyDraft);
	const [keyboard] = useState(() => given ?? createKeyboard({ afterKey: () => view.flush() }));
	return (
		<KeyboardProvider keyboard={keyboard}>
			<StoreViewContext.Provider value={view}>
				<IntentsContext.Provider value={intents}>
					<ThemeContext.Provider value={theme}>
						<ListDirContext.Provider value={listDir}>
							<FlashDraftContext.Provider value={draft}>
								<App {...app} />
							</FlashDraftContext.Provider>
						</ListDirContext.Provider>
					</ThemeContext.Provider>
				</IntentsContext.Provider>
			</StoreViewContext.Provider>
		</KeyboardProvider>
	);
}
