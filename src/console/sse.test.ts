import { describe, expect, test } from "bun:test";
import { encodeFrame, sseFrame, SseStream } from "./sse";

const decoder = new TextDecoder();
async function readFor(stream: SseStream, ms: number): Promise<{ text: string; done: boolean }> {
  const reader = stream.response.body!.getReader();
  let text = "";
  const until = Date.now() + ms;
  let done = false;
  while (Date.now() < until) {
    const r = await Promise.race([reader.read(), Bun.sleep(until - Date.now()).then(() => null)]);
    if (!r) break;
    if (r.done) { done = true; break; }
    text += decoder.decode(r.value);
  }
  reader.releaseLock();
  return { text, done };
}

describe("sseFrame", () => {
  test.each([
    ["one line", { data: "hello" }, "data: hello\n\n"],
    ["every line of the payload gets data:", { data: "a\nb\nc" }, "data: a\ndata: b\ndata: c\n\n"],
    ["CRLF and CR split lines too", { data: "a\r\nb\rc" }, "data: a\ndata: b\ndata: c\n\n"],
    ["an empty payload is one empty data line", { data: "" }, "data: \n\n"],
    ["trailing newline keeps its empty line", { data: "x\n" }, "data: x\ndata: \n\n"],
    ["event and id come first", { event: "conversion", id: 42, data: "{}" }, "event: conversion\nid: 42\ndata: {}\n\n"],
    ["a newline in event or id cannot add a field", { event: "a\ndata: forged", id: "1\nretry: 1", data: "x" }, "event: adata: forged\nid: 1retry: 1\ndata: x\n\n"],
  ] as const)("%s", (_name, e, want) => {
    expect(sseFrame(e)).toBe(want);
  });
});

describe("SseStream", () => {
  test("starts with retry, sends frames and heartbeats, headers for a stream", async () => {
    const s = new SseStream({ retryMs: 2000, heartbeatMs: 20 });
    expect(s.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(s.response.headers.get("cache-control")).toBe("no-store");
    s.send({ event: "conversion", id: 7, data: "line 1\nline 2" });
    const { text } = await readFor(s, 70);
    expect(text.startsWith("retry: 2000\n")).toBe(true);
    expect(text).toContain("event: conversion\nid: 7\ndata: line 1\ndata: line 2\n\n");
    expect(text.match(/: heartbeat\n\n/g)!.length).toBeGreaterThanOrEqual(2);
    s.close();
  });

  test("abort of the request closes the stream and runs the cleanup once", async () => {
    let cleanups = 0;
    const ac = new AbortController();
    const s = new SseStream({ heartbeatMs: 10, signal: ac.signal, onClose: () => cleanups++ });
    ac.abort();
    expect(s.closed).toBe(true);
    expect(s.send({ data: "late" })).toBe(false);
    s.close();
    expect(cleanups).toBe(1);
    const { text, done } = await readFor(s, 50);
    expect(done).toBe(true);
    expect(text).not.toContain("heartbeat"); // the timer is gone
  });

  test("the client cancelling its reader runs the cleanup", async () => {
    let cleanups = 0;
    const s = new SseStream({ heartbeatMs: 10, onClose: () => cleanups++ });
    await s.response.body!.cancel();
    expect(s.closed).toBe(true);
    expect(cleanups).toBe(1);
  });

  test("an already aborted signal yields a closed stream at once", () => {
    const ac = new AbortController();
    ac.abort();
    let cleanups = 0;
    const s = new SseStream({ signal: ac.signal, onClose: () => cleanups++ });
    expect(s.closed).toBe(true);
    expect(cleanups).toBe(1);
  });
});

describe("SseStream with many streams", () => {
  /** The chunks a stream's body yields within `ms`, one string per read. */
  async function chunksFor(stream: SseStream, ms: number): Promise<string[]> {
    const reader = stream.response.body!.getReader();
    const out: string[] = [];
    const until = Date.now() + ms;
    let pending: ReturnType<typeof reader.read> | null = null;
    while (Date.now() < until) {
      pending ??= reader.read();
      const r = await Promise.race([pending, Bun.sleep(Math.max(0, until - Date.now())).then(() => null)]);
      if (!r) break;
      pending = null;
      if (r.done) break;
      out.push(decoder.decode(r.value));
    }
    reader.releaseLock();
    return out;
  }

  test("one encoded frame goes to many streams, and the shared bytes stay unchanged", async () => {
    const frame = encodeFrame({ event: "conversion", id: 9, data: '{"a":1}\nsecond' });
    const copy = frame.slice();
    const streams = Array.from({ length: 3 }, () => new SseStream({ heartbeatMs: 60_000 }));
    for (const s of streams) expect(s.sendFrame(frame)).toBe(true);
    for (const s of streams) expect((await chunksFor(s, 30)).join("")).toContain('event: conversion\nid: 9\ndata: {"a":1}\ndata: second\n\n');
    expect(frame).toEqual(copy);
    for (const s of streams) s.close();
  });

  test("with batchMs, frames sent within the window leave as one write, in order", async () => {
    const s = new SseStream({ heartbeatMs: 60_000, batchMs: 20 });
    s.send({ id: 1, data: "one" });
    s.send({ id: 2, data: "two" });
    s.sendFrame(encodeFrame({ id: 3, data: "three" }));
    const chunks = await chunksFor(s, 80);
    expect(chunks[0]).toStartWith("retry: 2000\n");
    expect(chunks.slice(1)).toEqual(["id: 1\ndata: one\n\nid: 2\ndata: two\n\nid: 3\ndata: three\n\n"]);
    s.close();
  });

  test("closing sends what the batch window still holds, then ends the stream", async () => {
    let cleanups = 0;
    const s = new SseStream({ heartbeatMs: 60_000, batchMs: 10_000, onClose: () => cleanups++ });
    s.send({ data: "last words" });
    s.close();
    const reader = s.response.body!.getReader();
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value);
    expect(text).toContain("data: last words\n\n");
    expect(cleanups).toBe(1);
    expect(s.send({ data: "after" })).toBe(false);
  });

  test("streams share one heartbeat timer; closing some leaves the others beating", async () => {
    const streams = Array.from({ length: 4 }, () => new SseStream({ heartbeatMs: 15 }));
    streams[0]!.close();
    streams[1]!.close();
    const [a, b] = await Promise.all([chunksFor(streams[2]!, 70), chunksFor(streams[3]!, 70)]);
    for (const chunks of [a, b]) expect(chunks.join("").match(/: heartbeat\n\n/g)!.length).toBeGreaterThanOrEqual(2);
    for (const s of streams) s.close();
    const after = new SseStream({ heartbeatMs: 15 }); // a fresh group after the last one left
    expect((await chunksFor(after, 50)).join("")).toContain(": heartbeat\n\n");
    after.close();
  });
});
