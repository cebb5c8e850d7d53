export type ScreenId = "devices" | "flash" | "checklist" | "log";

/** Screen keys are digits: letters belong to the screens (f is "fail" on the checklist). */
export const SCREENS: { id: ScreenId; key: string; title: string }[] = [
	{ id: "devices", key: "1", title: "Devices" },
	{ id: "flash", key: "2", title: "Flash" },
	{ id: "checklist", key: "3", title: "Checklist" },
	{ id: "log", key: "4", title: "Log" },
];
