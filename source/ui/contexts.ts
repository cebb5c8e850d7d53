import { createContext, useContext } from "react";
import type { Intents } from "../app/intents.js";
import { readOnlyIntents } from "../app/intents.js";
import type { StoreView } from "./store-view.js";
import { defaultTheme, type Theme } from "./theme.js";

export const StoreViewContext = createContext<StoreView | null>(null);
export const IntentsContext = createContext<Intents>(readOnlyIntents);
export const ThemeContext = createContext<Theme>(defaultTheme);

export function useStoreView(): StoreView {
	const view = useContext(StoreViewContext);
	if (!view) throw new Error("useStore needs a <StoreProvider> above it");
	return view;
}

export function useIntents(): Intents {
	return useContext(IntentsContext);
}

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
