/** Command-line input shared by the pool scripts: a `--name value` flag and one secret line on stdin. */

/** The value after `--name`: undefined when the flag is absent, "" when it has no value. */
export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  return v === undefined || (v.startsWith("--") && v !== "-") ? "" : v;
}

/** One line from stdin (a key piped in or typed at the prompt), trimmed; never echoed back. */
export async function readStdinLine(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString("utf8").trim();
}
