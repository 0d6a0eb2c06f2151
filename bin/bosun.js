#!/usr/bin/env node
// Thin shell around the CLI: all behaviour lives in src/cli (compiled to dist/src/cli).
import { main } from '../dist/src/cli/index.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
