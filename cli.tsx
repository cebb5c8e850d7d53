#!/usr/bin/env node
import { main } from "./source/commands/main.js";

// React's development build checks every element and times every render; the assistant is a
// product, not a React app under development. (React loads later, only for the assistant.)
process.env.NODE_ENV ??= "production";

// `bringup list | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
	if (error.code === "EPIPE") process.exit(0);
	throw error;
});

process.exitCode = await main(process.argv.slice(2));
