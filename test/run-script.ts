import { spawn } from "node:child_process";

/** Runs a TypeScript script as `npm run` would (node with tsx) to its end: exit code and output. */
export async function runScript(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => {
    out += c;
  });
  child.stderr.on("data", (c) => {
    err += c;
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, out, err };
}
