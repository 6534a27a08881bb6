/**
 * The CLI's command table: `taizhang <name> …` runs the command with that name.
 * Each command lives in its own file in this folder; add one import and one entry per command.
 */
import type { Command } from '../command.js';
import { runCommand } from './run.js';
import { contractCommand } from './contract.js';
import { workerCommand } from './worker.js';
import { reduceCommand } from './reduce.js';
import { planCommand } from './plan.js';
import { generateCommand } from './generate.js';

export const commands: Command[] = [runCommand, contractCommand, workerCommand, reduceCommand, planCommand, generateCommand];
