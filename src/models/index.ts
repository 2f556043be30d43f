/** The models area: the papers' objects. Public re-exports only; see each file for the documentation. */
export {
  reluNetForward, convNetForward, convToDense, sampleNaturalWeights, sampleNetwork, sampleConvNetwork, resolveFamily,
  WEIGHT_FAMILIES, type ReluNet, type ForwardOptions, type WeightFamily, type WeightFamilyName, type SampleWeightsOptions,
  type SampleNetworkOptions, type SampleConvOptions,
} from "./network.js";
export {
  clippedReluNet, periodicTarget, samplePeriodicTarget, periodicTargetForward, psiFunction, PERIODIC_PSI,
  halfspacesForward, encodeHalfspaces, decodeHalfspaces, appendOnes, booleanCube, randomHalfspaces,
  checkHalfspaceEncoding, augmentIndependent, padZeros, smallestSingularValue, transferMatrix, spanTest,
  type PeriodicPsi, type PeriodicTarget, type HalfspaceIntersection, type HalfspaceCheckOptions, type HalfspaceCheckResult,
} from "./targets.js";
/** Input distributions: `distributions.gaussian({ dim })`, `.gaussianMixture`, `.cube01`, `.cubePM1`, `.sphere`, `.finiteSupport`, `.pushForward`. */
export * as distributions from "./distributions.js";
export type { Distribution } from "./distributions.js";
export {
  expectedRelu, expectedReluBias, arcCosKernel, arcCosKernelGrad, populationLoss, populationLossGrad, expectedClippedRelu,
} from "./closed_forms.js";
export {
  trainNetwork, trainNetworkSync, objectiveGradient, optimizerStep, OPTIMIZERS,
  type OptimizerName, type TrainOptions, type TrainResult, type HistoryEntry, type ObjectiveOptions,
} from "./learners.js";
export { invarianceExperiment, haarOrthogonal, conditionedMatrix, type InvarianceOptions, type InvarianceRow } from "./invariance.js";
export {
  randomKSat, plantedKSat, clauseViolated, clauseViolationNeuron, hideAssignment, violatedFraction, type KSatFormula,
} from "./ksat.js";
export type { RngLike } from "./deps.js";
