/** The subcommands of `hardlearn`, in help order. */
import type { CommandSpec } from "./types.js";
import { reproduceCommand } from "./reproduce.js";
import { landscapeCommand } from "./landscape.js";
import { gradvarCommand } from "./gradvar.js";
import { oracleCommand } from "./oracle.js";
import { trainCommand } from "./train.js";
import { invarianceCommand } from "./invariance.js";
import { halfspacesCommand } from "./halfspaces.js";
import { networksCommand } from "./networks.js";
import { benchCommand } from "./bench.js";
import { sweepCommand } from "./sweep.js";
import { mergeCommand } from "./merge.js";

export type { CommandSpec, CommandContext, CommandResult, OptionSpec } from "./types.js";

export const COMMANDS: CommandSpec[] = [
  reproduceCommand, landscapeCommand, gradvarCommand, oracleCommand, trainCommand,
  invarianceCommand, halfspacesCommand, networksCommand, benchCommand, sweepCommand, mergeCommand,
];
