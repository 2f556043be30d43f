/** Node-only sweep helpers ("hardlearn/node"): the JSON-lines results file store, atomic writes, spec files. */
export {
  openResultsFile, readShardOutput, parseResults, writeFileAtomic, writeResultFile, versions, ResultsFileError,
  RESULTS_KIND, type ResultsFile, type ResultsHeader, type ParsedResults,
} from "./files.js";
export { readSpecFile, parseSpecText } from "./load.js";
