import { html } from "../html";
import { publicPage } from "../layouts/page";

/** 404 / 410 pages for tracking links: say what happened, never redirect. */
export function linkNotFoundPage(): string {
  return publicPage("Link not found", html`<h1>Link not found</h1>
<p>This tracking link does not exist. Check that it was copied completely.</p>`);
}

export function linkInactivePage(reason: "program_paused" | "approval_inactive" | "destination_invalid"): string {
  if (reason === "destination_invalid") return linkBrokenPage();
  const why = reason === "program_paused"
    ? "The offer behind this link is paused."
    : "This link is no longer active for its publisher.";
  return publicPage("Link inactive", html`<h1>This link is inactive</h1><p>${why}</p>
<p>Nothing was recorded and you have not been redirected.</p>`);
}

/** The program's destination address is not a usable URL (stored before destinations were validated). */
export function linkBrokenPage(): string {
  return publicPage("Link destination invalid", html`<h1>This link cannot take you there</h1>
<p>The address this offer points to is not a valid web address, so you have not been redirected and nothing was recorded.</p>
<p>The network's operator has to correct it; please try again later.</p>`);
}
