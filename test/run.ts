/**
 * Test entry used by `npm test`: runs the uvu suite (every test/*.test.ts, or those matching argv[2]) and closes with
 * the plain line "N passed, N failed" so CI can read the count. The exit code is uvu's.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pattern = process.argv[2] ?? "\\.test\\.ts$";
const child = spawn(process.execPath, ["--import", "tsx", "node_modules/uvu/bin.js", "test", pattern], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
let out = "";
child.stdout.on("data", (b: Buffer) => {
  const s = b.toString();
  out += s;
  process.stdout.write(s);
});
child.on("close", (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
  if (Number.isFinite(total) && Number.isFinite(passed)) {
    console.log(`\n${passed} passed, ${total - passed} failed`);
  } else {
    console.log(`\n0 passed, 1 failed`);
  }
  process.exit(code ?? 1);
});
