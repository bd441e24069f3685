import { CONTROLS } from './controls/index.js';
import { loadControlMetadata } from './controls/metadata.js';
import { loadFrameworks } from './controls/frameworks.js';
import type { ControlCatalog } from './evaluate-controls.js';

/** Controls, their validated metadata and the framework mappings, read once per process. */
let catalog: ControlCatalog | undefined;

export function loadCatalog(): ControlCatalog {
  if (!catalog) {
    const metadata = new Map(CONTROLS.map((c) => [c.id, loadControlMetadata(c.id)]));
    const frameworks = loadFrameworks(new Set(CONTROLS.map((c) => c.id)));
    catalog = { controls: CONTROLS, metadata, frameworks };
  }
  return catalog;
}
