#!/usr/bin/env node
import { main } from "./source/commands/main.js";

process.exitCode = await main(process.argv.slice(2));
