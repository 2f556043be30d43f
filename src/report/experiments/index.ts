/** The experiments of the reproduction run, in report order. */
import type { ExperimentDef } from "../experiment.js";
import { landscapeExperiment } from "./landscape.js";
import { gradvarExperiment } from "./gradvar.js";
import { oracleExperiment } from "./oracle.js";
import { sgdmapExperiment } from "./sgdmap.js";
import { invarianceExperimentDef } from "./invariance.js";
import { halfspacesExperiment } from "./halfspaces.js";
import { networksExperiment } from "./networks.js";
import { lemma1Experiment } from "./lemma1.js";

export const EXPERIMENTS: ExperimentDef[] = [
  landscapeExperiment,
  gradvarExperiment,
  oracleExperiment,
  sgdmapExperiment,
  invarianceExperimentDef,
  halfspacesExperiment,
  lemma1Experiment,
  networksExperiment,
];
