import { html } from "../html";
import { publicPage } from "../layouts/page";

/** 404 / 410 pages for tracking links: say what happened, never redirect. */
export function linkNotFoundPage(): string {
  return publicPage("Link not found", html`<h1>Link not found</h1>
<p>This tracking link does not exist. Check that it was copied completely.</p>`);
}

export function linkInactivePage(reason: "program_paused" | "approval_inactive"): string {
  const why = reason === "program_paused"
    ? "The offer behind this link is paused."
    : "This link is no longer active for its publisher.";
  return publicPage("Link inactive", html`<h1>This link is inactive</h1><p>${why}</p>
<p>Nothing was recorded and you have not been redirected.</p>`);
}
