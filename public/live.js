// Live regions: one EventSource('/live') per page. The server filters events per
// session; on each one, this page re-fetches its own URL as an htmx fragment and
// swaps every [data-live] element with the element of the same id in the answer.
(() => {
  "use strict";
  const regions = () => Array.from(document.querySelectorAll("[data-live][id]"));
  if (!regions().length || !("EventSource" in window)) return;
  const status = document.getElementById("live-status");
  const show = (state, text) => {
    if (!status) return;
    status.dataset.state = state;
    const t = status.querySelector(".live-text");
    if (t) t.textContent = text;
  };

  let timer = null, busy = false, again = false, lastStart = 0;
  // First event of a burst starts a 150 ms wait; later ones join it (latency stays bounded).
  // Refreshes start at least 500 ms apart, so a page on a busy network asks the server
  // for at most two renders a second however many events arrive.
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => { timer = null; refresh(); }, Math.max(150, lastStart + 500 - Date.now()));
  };

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    lastStart = Date.now();
    try {
      const res = await fetch(location.href, { headers: { "HX-Request": "true", "X-Live-Refresh": "1" }, credentials: "same-origin", cache: "no-store" });
      if (res.redirected || !res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      for (const old of regions()) {
        const fresh = doc.getElementById(old.id);
        if (!fresh || fresh.outerHTML === old.outerHTML) continue;
        const focusedId = old.contains(document.activeElement) ? document.activeElement.id : "";
        const next = document.importNode(fresh, true);
        next.classList.add("live-updated");
        old.replaceWith(next);
        if (window.htmx && typeof window.htmx.process === "function") window.htmx.process(next);
        if (focusedId) document.getElementById(focusedId)?.focus({ preventScroll: true });
        setTimeout(() => next.classList.remove("live-updated"), 1200);
      }
    } catch {
      // a failed refresh waits for the next event or reconnect
    } finally {
      busy = false;
      if (again) { again = false; schedule(); }
    }
  }

  const source = new EventSource("/live");
  let opened = false;
  source.addEventListener("open", () => {
    show("live", "Live");
    // After a reconnect, events may have been missed: bring the regions up to date once.
    if (opened) schedule();
    opened = true;
  });
  source.addEventListener("conversion", schedule);
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) show("off", "Offline: reload the page");
    else show("reconnecting", "Reconnecting…");
  });
  window.addEventListener("pagehide", () => source.close());
})();
