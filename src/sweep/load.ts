/**
 * Node-only: read a sweep spec file. `.yaml` / `.yml` files are parsed as YAML 1.2 (the `yaml` package, duplicate
 * keys refused), everything else as JSON. Syntax errors become InvalidArgumentError naming the file and position.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { InvalidArgumentError } from "../errors.js";

export async function readSpecFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new InvalidArgumentError("spec file", "a readable file", `${path} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return parseSpecText(text, /\.ya?ml$/i.test(path) ? "yaml" : "json", path);
}

/** Parse spec text (JSON or YAML). */
export function parseSpecText(text: string, format: "json" | "yaml", name = "spec"): unknown {
  try {
    return format === "yaml" ? parseYaml(text, { uniqueKeys: true, prettyErrors: true }) : JSON.parse(text);
  } catch (e) {
    const msg = String((e as Error).message).split("\n")[0];
    throw new InvalidArgumentError(`${name}`, `valid ${format === "yaml" ? "YAML" : "JSON"} (${msg})`, text.length > 60 ? `${text.slice(0, 57)}...` : text);
  }
}
