#!/usr/bin/env node
/** `node dist/src/http/probe-cli.js [/path] [--credentials-file FILE]`: see probe.ts. */
import { runProbe } from './probe.js';

process.exitCode = await runProbe(process.argv.slice(2), process.env, (line) => process.stdout.write(line));
