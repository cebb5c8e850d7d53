/** `--sim=PROFILE/SCENARIO` strings: "f407", "f407/boot0-high", "boot0-high" (= f407). */
import { UsageError } from "../errors.js";
import { DEFAULT_PROFILE, PROFILES, profileById } from "./profiles.js";
import { DEFAULT_SCENARIO, SCENARIOS, scenarioByName } from "./scenarios.js";

export interface SimSpec {
	profile: string;
	scenario: string;
}

export function parseSimSpec(text: string | undefined): SimSpec {
	const trimmed = (text ?? "").trim().toLowerCase();
	if (trimmed === "" || trimmed === "true")
		return { profile: DEFAULT_PROFILE, scenario: DEFAULT_SCENARIO };
	const parts = trimmed.split("/");
	if (parts.length > 2)
		throw new UsageError(`--sim: "${text}" has more than one "/"`, { sim: text ?? "" });
	if (parts.length === 1) {
		const only = parts[0]!;
		if (profileById(only)) return { profile: only, scenario: DEFAULT_SCENARIO };
		if (scenarioByName(only)) return { profile: DEFAULT_PROFILE, scenario: only };
		throw unknown(only);
	}
	const [profile, scenario] = parts as [string, string];
	if (!profileById(profile)) throw unknown(profile);
	if (!scenarioByName(scenario)) throw unknown(scenario);
	return { profile, scenario };
}

function unknown(word: string): UsageError {
	return new UsageError(
		`--sim: "${word}" is neither a chip profile nor a scenario`,
		{ sim: word },
		`Profiles: ${Object.keys(PROFILES).join(", ")}. Scenarios: ${Object.keys(SCENARIOS).join(", ")}.`,
	);
}
