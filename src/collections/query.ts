// Collection queries: the reference's named queries over entities, e.g. a company collection
// "Seattle AI Companies" with `item.locations contains 'Seattle, WA'`.
//
// Grammar: clause (('and' | 'or') clause)*, where 'and' binds tighter than 'or', and a clause is
//   item.<field>[.<field>...] <op> <value>
// op: contains | = | == | != | > | >= | < | <= | startsWith; value: 'text', "text" or a number.
// `contains` on a list is true when one element contains the text; on text it is a substring test;
// both ignore case. Comparisons of text ignore case too. A missing field matches nothing.
import { newsdeskError } from '../errors.ts';
import type { Entity, JsonValue } from './types.ts';
import type { CollectionStore } from '../store/collections.ts';

type Op = 'contains' | '=' | '!=' | '>' | '>=' | '<' | '<=' | 'startsWith';

interface Clause {
  path: string[];
  op: Op;
  value: string | number;
}

/** Disjunction of conjunctions. */
export type CompiledQuery = Clause[][];

const TOKEN = /\s*(?:(item(?:\.[A-Za-z_][\w]*)+)|(contains|startsWith|==|!=|>=|<=|=|>|<)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|(and|or|AND|OR|&&|\|\|))/y;

export function compileQuery(query: string): CompiledQuery {
  const fail = (reason: string) => newsdeskError('ND_BAD_REQUEST', { reason: `collection query "${query}": ${reason}` });
  const groups: CompiledQuery = [[]];
  let position = 0;
  const next = () => {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(query);
    if (!match) return null;
    position = TOKEN.lastIndex;
    return match;
  };
  for (;;) {
    const field = next();
    if (!field?.[1]) throw fail(`expected item.<field> at ${position}`);
    const op = next();
    if (!op?.[2]) throw fail(`expected an operator after ${field[1]}`);
    const value = next();
    if (!value || (value[3] === undefined && value[4] === undefined && value[5] === undefined)) throw fail(`expected a value after ${op[2]}`);
    const literal = value[5] !== undefined ? Number(value[5]) : (value[3] ?? value[4]!).replace(/\\(.)/g, '$1');
    groups[groups.length - 1]!.push({ path: field[1].split('.').slice(1), op: (op[2] === '==' ? '=' : op[2]) as Op, value: literal });
    if (query.slice(position).trim() === '') break;
    const joiner = next();
    if (!joiner?.[6]) throw fail(`expected and/or at ${position}`);
    if (/^(or|\|\|)$/i.test(joiner[6])) groups.push([]);
  }
  return groups;
}

function lookup(entity: Entity, path: string[]): JsonValue | undefined {
  const root: Record<string, JsonValue> = { name: entity.name, heat: entity.heat, topics: entity.topics, ...entity.data };
  let value: JsonValue | undefined = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, JsonValue>)[key];
  }
  return value;
}

function compare(actual: JsonValue, op: Op, expected: string | number): boolean {
  if (typeof expected === 'number') {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' ? Number(actual) : NaN;
    if (Number.isNaN(n)) return false;
    switch (op) {
      case '=': return n === expected;
      case '!=': return n !== expected;
      case '>': return n > expected;
      case '>=': return n >= expected;
      case '<': return n < expected;
      case '<=': return n <= expected;
      default: return String(n).includes(String(expected));
    }
  }
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
  const a = String(actual).toLowerCase();
  const b = expected.toLowerCase();
  switch (op) {
    case 'contains': return a.includes(b);
    case 'startsWith': return a.startsWith(b);
    case '=': return a === b;
    case '!=': return a !== b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
  }
}

function clauseMatches(entity: Entity, clause: Clause): boolean {
  const value = lookup(entity, clause.path);
  if (value === undefined || value === null) return clause.op === '!=';
  if (Array.isArray(value)) {
    if (clause.op === '!=') return value.every((v) => !compare(v, '=', clause.value));
    return value.some((v) => compare(v, clause.op, clause.value));
  }
  return compare(value, clause.op, clause.value);
}

export function matchesQuery(entity: Entity, query: CompiledQuery): boolean {
  return query.some((group) => group.every((clause) => clauseMatches(entity, clause)));
}

/**
 * The members of a collection entity (a named query over profiles of its own kind), hottest first.
 * Loads the kind's profiles into memory: collections are small lists over a few thousand profiles.
 */
export async function membersOf(collections: CollectionStore, collection: Entity, limit = 100): Promise<Entity[]> {
  if (typeof collection.data.query !== 'string') return [];
  const query = compileQuery(collection.data.query);
  const members: Entity[] = [];
  for await (const entity of collections.iterateEntities(collection.kind)) {
    if (entity.subtype !== 'collection' && matchesQuery(entity, query)) members.push(entity);
  }
  return members.sort((a, b) => (b.heat ?? -Infinity) - (a.heat ?? -Infinity) || a.name.localeCompare(b.name)).slice(0, limit);
}

/** Profiles of a kind matching an ad-hoc query, hottest first. */
export async function runQuery(collections: CollectionStore, kind: Entity['kind'], query: string, limit = 100): Promise<Entity[]> {
  const compiled = compileQuery(query);
  const members: Entity[] = [];
  for await (const entity of collections.iterateEntities(kind)) {
    if (entity.subtype !== 'collection' && matchesQuery(entity, compiled)) members.push(entity);
  }
  return members.sort((a, b) => (b.heat ?? -Infinity) - (a.heat ?? -Infinity) || a.name.localeCompare(b.name)).slice(0, limit);
}
