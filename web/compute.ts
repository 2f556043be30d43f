/** The worker's computations go through the same shared functions as the CLI and the report. */
export { gradvarMcPoint, trainDemo } from "../src/report/compute.js";
