import { afterAll, afterEach, beforeAll, expect, spyOn, test, type Mock } from "bun:test";
import { runCli } from "./cli";

let log: Mock<typeof console.log>;
let error: Mock<typeof console.error>;
beforeAll(() => {
  log = spyOn(console, "log").mockImplementation(() => {});
  error = spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => { log.mockClear(); error.mockClear(); });
afterAll(() => { log.mockRestore(); error.mockRestore(); });

test("help for a command comes from the help table's own entries", async () => {
  expect(await runCli(["migrate", "--help"], {})).toBe(0);
  expect(String(log.mock.calls[0]![0])).toContain("migrate");
});

test.each(["constructor", "toString", "__proto__"])("%s --help is an unknown command, not Object's %s", async (word) => {
  expect(await runCli([word, "--help"], {})).toBe(2);
  expect(log).not.toHaveBeenCalled();
  expect(String(error.mock.calls[0]![0])).toStartWith(`Unknown command "${word}".`);
});
