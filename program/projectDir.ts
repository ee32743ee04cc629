/**
 * Where the project is: the folder holding Pulumi.yaml, found from this module whether it
 * runs from its source or compiled into bin/dist/.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";

/** The project directory: where Pulumi.yaml lives. */
export const PROJECT_DIR = projectDirAbove(__dirname);

/**
 * The nearest folder at or above `start` that holds Pulumi.yaml: the project, whether this
 * module runs from its source (program/, cli/) or compiled (bin/dist/...).
 */
export function projectDirAbove(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, "..");
  }
}
