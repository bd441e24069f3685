/**
 * A validator for OCSF Compliance Finding events, written from the class definition's facts in
 * test/fixtures/ocsf/compliance-finding-1.3.0.json (shares no code with the exporter). Returns every
 * problem as "<attribute path>: <what is wrong>"; an empty list means the event conforms.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ClassDefinition {
  class: { uid: number; caption: string; category_uid: number; category_caption: string };
  required: string[];
  objects: Record<string, { required: string[]; recommended?: string[] }>;
  enums: Record<string, Record<string, string>>;
  captions: Record<string, string>;
  types: Record<string, string>;
}

const COMPLIANCE_FINDING: ClassDefinition = JSON.parse(
  readFileSync(path.resolve('test/fixtures/ocsf/compliance-finding-1.3.0.json'), 'utf8'),
) as ClassDefinition;

type Json = Record<string, unknown>;

function at(event: Json, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), event);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkType(problems: string[], name: string, value: unknown, type: string): void {
  if (value === undefined) return;
  if (type === 'timestamp_t') {
    if (!Number.isInteger(value) || (value as number) < 0)
      problems.push(`${name}: expected milliseconds since the epoch, got ${JSON.stringify(value)}`);
  } else if (type === 'string_t') {
    if (typeof value !== 'string' || value.length === 0) problems.push(`${name}: expected a non-empty string`);
  } else if (type === 'string_t[]') {
    if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s.length === 0))
      problems.push(`${name}: expected an array of non-empty strings`);
  } else if (type === 'semver') {
    if (typeof value !== 'string' || !/^1\.\d+\.\d+$/.test(value))
      problems.push(`${name}: expected an OCSF 1.x version, got ${JSON.stringify(value)}`);
  }
}

export function validateComplianceFinding(event: unknown, def: ClassDefinition = COMPLIANCE_FINDING): string[] {
  const problems: string[] = [];
  if (!isObject(event)) return ['event: not a JSON object'];
  for (const name of def.required) if (event[name] === undefined) problems.push(`${name}: required, missing`);
  if (event.class_uid !== def.class.uid) problems.push(`class_uid: expected ${def.class.uid}`);
  if (event.category_uid !== def.class.category_uid) problems.push(`category_uid: expected ${def.class.category_uid}`);
  if (event.class_name !== undefined && event.class_name !== def.class.caption)
    problems.push(`class_name: expected "${def.class.caption}"`);
  if (event.category_name !== undefined && event.category_name !== def.class.category_caption)
    problems.push(`category_name: expected "${def.class.category_caption}"`);
  if (typeof event.activity_id === 'number' && event.type_uid !== def.class.uid * 100 + event.activity_id)
    problems.push(`type_uid: expected class_uid * 100 + activity_id = ${def.class.uid * 100 + event.activity_id}`);

  for (const [object, rule] of Object.entries(def.objects)) {
    const many = object.endsWith('[]');
    const name = many ? object.slice(0, -2) : object;
    const value = at(event, name);
    if (value === undefined) continue;
    const items = many ? value : [value];
    if (!Array.isArray(items)) {
      problems.push(`${name}: expected an array`);
      continue;
    }
    items.forEach((item, i) => {
      const where = many ? `${name}[${i}]` : name;
      if (!isObject(item)) return problems.push(`${where}: expected an object`);
      for (const r of rule.required) if (item[r] === undefined) problems.push(`${where}.${r}: required, missing`);
    });
  }

  for (const [name, values] of Object.entries(def.enums)) {
    const id = at(event, name);
    if (id === undefined) continue;
    if (typeof id !== 'number' || !(String(id) in values)) {
      problems.push(`${name}: ${JSON.stringify(id)} is not one of ${Object.keys(values).join(', ')}`);
      continue;
    }
    const captionName = def.captions[name];
    const caption = captionName ? at(event, captionName) : undefined;
    if (captionName && caption !== undefined) {
      // 99 (Other): the caption carries the source's own label; otherwise it is the enum's caption.
      if (id === 99 ? typeof caption !== 'string' || caption.length === 0 : caption !== values[String(id)])
        problems.push(
          `${captionName}: expected "${values[String(id)]}" for ${name} ${id}, got ${JSON.stringify(caption)}`,
        );
    }
  }
  for (const [name, type] of Object.entries(def.types)) checkType(problems, name, at(event, name), type);
  return problems;
}
