/**
 * Prometheus text exposition, hand-written: the request path only adds to
 * plain numbers in objects created once per route (no label hashing per
 * request, which prom-client does on every inc/observe), and it runs the same
 * in the single binary and under Deno with no dependency.
 */

/** Latency buckets in seconds: the redirect lives below 10 ms, postbacks around 10-50 ms. */
export const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Requests and latency of one method + route pattern; `observe` is the per-request cost. */
export class RouteStats {
  /** Indexed by HTTP status (100..599): a plain array slot, no lookup. */
  readonly byStatus = new Float64Array(600);
  readonly buckets = new Float64Array(BUCKETS.length);
  sum = 0;
  count = 0;
  constructor(readonly method: string, readonly route: string) {}

  observe(status: number, seconds: number): void {
    this.byStatus[status > 0 && status < 600 ? status : 0]! += 1;
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) { this.buckets[i]! += 1; break; }
  }
}

export interface Gauge { inc(by?: number): void; dec(by?: number): void; set(v: number): void; readonly value: number }

function escapeLabel(v: string): string { return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"'); }
function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** A value read when scraped (buffer sizes, counters kept by their owners). */
export type Sampled = { name: string; help: string; type: "counter" | "gauge"; read(): Promise<{ labels: Record<string, string>; value: number }[]> | { labels: Record<string, string>; value: number }[] };

export class Registry {
  private routes = new Map<string, RouteStats>();
  private counters = new Map<string, { help: string; values: Map<string, { labels: Record<string, string>; value: number }> }>();
  private gauges = new Map<string, { help: string; value: number }>();
  private sampled: Sampled[] = [];

  /** The stats object of one route: look it up once (per route, or per request off the hot path). */
  route(method: string, route: string): RouteStats {
    const key = `${method} ${route}`;
    let s = this.routes.get(key);
    if (!s) this.routes.set(key, (s = new RouteStats(method, route)));
    return s;
  }

  /** Adds to a labelled counter (postbacks by verdict, job runs): not for the click path. */
  count(name: string, help: string, l: Record<string, string>, by = 1): void {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = { help, values: new Map() }));
    const key = JSON.stringify(l);
    const v = c.values.get(key);
    if (v) v.value += by;
    else c.values.set(key, { labels: l, value: by });
  }

  /** A gauge another module feeds (the console's SSE connections): `gauge(name, help).inc()` / `.dec()`. */
  gauge(name: string, help: string): Gauge {
    let g = this.gauges.get(name);
    if (!g) this.gauges.set(name, (g = { help, value: 0 }));
    const cell = g;
    return {
      inc: (by = 1) => { cell.value += by; },
      dec: (by = 1) => { cell.value -= by; },
      set: (v) => { cell.value = v; },
      get value() { return cell.value; },
    };
  }

  /** Registers values read at scrape time; replaces an earlier one of the same name (a new app in the same process). */
  sample(s: Sampled): void {
    this.sampled = this.sampled.filter((x) => x.name !== s.name);
    this.sampled.push(s);
  }

  async expose(): Promise<string> {
    const out: string[] = [];
    const head = (name: string, help: string, type: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const routes = [...this.routes.values()];
    head("lastclick_http_requests_total", "HTTP requests answered, by method, route pattern and status.", "counter");
    for (const r of routes) {
      r.byStatus.forEach((n, status) => { if (n) out.push(`lastclick_http_requests_total${labels({ method: r.method, route: r.route, status: String(status) })} ${n}`); });
    }
    head("lastclick_http_request_duration_seconds", "Time from request to answer, by method and route pattern.", "histogram");
    for (const r of routes) {
      if (!r.count) continue;
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += r.buckets[i]!;
        out.push(`lastclick_http_request_duration_seconds_bucket${labels({ method: r.method, route: r.route, le: String(le) })} ${cumulative}`);
      });
      const l = { method: r.method, route: r.route };
      out.push(`lastclick_http_request_duration_seconds_bucket${labels({ ...l, le: "+Inf" })} ${r.count}`);
      out.push(`lastclick_http_request_duration_seconds_sum${labels(l)} ${r.sum}`, `lastclick_http_request_duration_seconds_count${labels(l)} ${r.count}`);
    }
    for (const [name, c] of this.counters) {
      head(name, c.help, "counter");
      for (const v of c.values.values()) out.push(`${name}${labels(v.labels)} ${v.value}`);
    }
    for (const [name, g] of this.gauges) { head(name, g.help, "gauge"); out.push(`${name} ${g.value}`); }
    for (const s of this.sampled) {
      const values = await s.read();
      head(s.name, s.help, s.type);
      for (const v of values) out.push(`${s.name}${labels(v.labels)} ${v.value}`);
    }
    return out.join("\n") + "\n";
  }
}

/** The process's registry (one appliance per process). */
export const metrics = new Registry();

/** Open SSE connections: the console's live endpoint calls inc() on open and dec() on close. */
export const sseConnections = metrics.gauge("lastclick_sse_connections", "Open server-sent-event connections (live console pages).");

export function countPostback(provider: string, verdict: string): void {
  metrics.count("lastclick_postbacks_total", "Intake requests (postbacks and webhooks) by provider and verdict.", { provider, verdict });
}

export function countJobRun(job: string, outcome: "ok" | "failed"): void {
  metrics.count("lastclick_job_runs_total", "Scheduler job runs by job and outcome.", { job, outcome });
}
