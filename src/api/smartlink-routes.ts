import { createSmartLink, createSmartLinkBody, listProgramScores, listRubricVersions, listSmartLinks, putRubric, putRubricBody, putScores, putScoresBody } from "../smartlinks";
import { route } from "./route";

/** Smart links (SPEC §6b, §11): rubric, scores, links. Public pages are in src/smartlinks/routes.ts. */
export const smartLinkRoutes = [
  route({ method: "put", path: "/api/admin/rubric", auth: "admin", tag: "smart links", errors: [409],
    summary: "Publish a new rubric version: threshold 0..100, signals with unique keys and whole-point weights summing to 100, optional flat commission",
    body: putRubricBody, handler: ({ ctx, actor, body }) => putRubric(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/rubric", auth: "admin", tag: "smart links", summary: "Every rubric version, newest first",
    handler: async ({ ctx }) => ({ data: await listRubricVersions(ctx) }) }),
  route({ method: "put", path: "/api/admin/programs/{id}/scores", auth: "admin", tag: "smart links", errors: [409],
    summary: "Score a program against every signal (0..1, two decimals); adds a dated row, the total is computed",
    body: putScoresBody, handler: ({ ctx, actor, params, body }) => putScores(ctx, actor, params.id!, body) }),
  route({ method: "get", path: "/api/admin/programs/{id}/scores", auth: "admin", tag: "smart links", summary: "A program's score history, newest first",
    handler: async ({ ctx, params }) => ({ data: await listProgramScores(ctx, params.id!) }) }),
  route({ method: "post", path: "/api/admin/smart-links", auth: "admin", tag: "smart links", status: 201, errors: [409],
    summary: "Create a smart link /go/m/{code} routing on criteria (refused when no eligible program matches)",
    body: createSmartLinkBody, handler: ({ ctx, actor, body }) => createSmartLink(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/smart-links", auth: "admin", tag: "smart links", summary: "List smart links",
    handler: async ({ ctx }) => ({ data: await listSmartLinks(ctx) }) }),
];
