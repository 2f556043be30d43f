/** The report's atomic publication lives in src/atomic.ts (one module for every file hardlearn writes). */
export { publishDir, writeFilesInto, writeFileAtomic, checkOutputDir, recoverOutput, OutputPathError, MARKER, type DirContents } from "../atomic.js";
