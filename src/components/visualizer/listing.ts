// The Python a preset shows beside the visualizer, read at build time: its own snippet, or one of the course's
// example files up to the end of its app part. Imported only by Visualizer.astro's frontmatter, so the example
// files never reach the page's script.
import { PRESETS, type PresetId } from './presets.ts';

const files = import.meta.glob<string>('../../../examples/python/*.py', { query: '?raw', import: 'default', eager: true });

export function listing(p: PresetId): string {
  const python = PRESETS[p].python;
  if (typeof python === 'string') return python.trimEnd();
  const text = files[`../../../examples/python/${python.file}`];
  if (text === undefined) throw new Error(`Visualizer: preset "${p}" shows examples/python/${python.file}, which does not exist`);
  const end = python.until ? text.indexOf(python.until) : -1;
  return (end === -1 ? text : text.slice(0, end)).trimEnd();
}
