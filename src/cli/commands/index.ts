import type { CommandFactory } from '../context.js';
import { listCommand } from './list.js';
import { showCommand } from './show.js';
import { renderCommand } from './render.js';
import { runCommand } from './run.js';
import { estimateCommand } from './estimate.js';
import { sampleCommand } from './sample.js';
import { reportCommand } from './report.js';
import { verifyCommand } from './verify.js';
import { ddlCommand } from './ddl.js';
import { setupCommand } from './setup.js';
import { schemaCommand } from './schema.js';
import { importCommand } from './import.js';
import { compactCommand } from './compact.js';

/** Every CLI command, in help order. A new command is one file here and one line below. */
export const COMMANDS: CommandFactory[] = [listCommand, showCommand, renderCommand, runCommand, estimateCommand, sampleCommand, ddlCommand, setupCommand, schemaCommand, importCommand, compactCommand, reportCommand, verifyCommand];
