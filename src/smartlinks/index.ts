/** Smart links (SPEC §6b): the rubric, program scores, links routed by fit, and the public pages. */
export { createSmartLink, createSmartLinkBody, listSmartLinks } from "./create-smart-link";
export { listProgramScores, listRubricVersions } from "./history";
export { putRubric, putRubricBody } from "./put-rubric";
export { putScores, putScoresBody } from "./put-scores";
export { mountSmartLinkRoutes, smartLinkBunRoutes } from "./routes";
export { SmartRouter } from "./router";
export { commissionTerms } from "./flat-commission";
