// Request parameters checked once, at the edge, for every route: whatever a handler reads of the
// query string or the path has been parsed by the schema of its name here, so a hostile value
// (`?page=1e309`, `?to=2026-99-99`, a repeated key, an id past the integer range) gets a 4xx
// before it reaches arithmetic or SQL. Handlers still convert with these same parsers.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { newsdeskError } from '../errors.ts';

/** Pages past this are refused; a list that long is not paged through by anyone. */
export const MAX_PAGE = 100_000;
/** Row ids are 32-bit on PostgreSQL (serial); a larger number names nothing. */
export const MAX_ID = 2 ** 31 - 1;

const digits = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, 'must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be between 1 and ${max}`);

const pageSchema = digits(MAX_PAGE);
const idSchema = digits(MAX_ID);
/** A calendar day, `YYYY-MM-DD`, that exists (no 2026-99-99, no February 30th). */
const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
  }, 'must be a date that exists');

function parsed<T>(schema: z.ZodType<T>, raw: string): T | null {
  const result = schema.safeParse(raw);
  return result.success ? result.data : null;
}

export const parsePage = (raw: string) => parsed(pageSchema, raw);
export const parseId = (raw: string) => parsed(idSchema, raw);
export const parseDay = (raw: string) => parsed(daySchema, raw);

/** A page number from a query string or a path: 1 when absent or empty, else 1 to MAX_PAGE. */
export function pageNumber(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  const page = typeof raw === 'string' ? parsePage(raw) : null;
  if (page === null) throw newsdeskError('ND_BAD_REQUEST', { reason: `page must be an integer from 1 to ${MAX_PAGE}, not ${String(raw).slice(0, 40)}` });
  return page;
}

/** A row id from a form or a path, or null when it cannot name a row. */
export function idOf(raw: unknown): number | null {
  return typeof raw === 'string' ? parseId(raw) : null;
}

// Query parameters by name: what each must be when present and not empty.
const queryRules: Record<string, (raw: string) => unknown> = {
  page: parsePage,
  from: parseDay,
  to: parseDay,
};
// Path parameters naming a resource: a malformed one names nothing (404); `page` is a request error
// (400). `:id` is a row id wherever a route uses it; a route naming something else names it otherwise.
const pathRules: Record<string, (raw: string) => unknown> = {
  id: parseId,
  day: parseDay,
};

/** Reader-app protocols repeat keys by design (`i=1&i=2`) and answer errors in their own form: they check their own parameters. */
const OWN_PARAMETERS = /^\/api\/(greader|fever)(\/|\?|$)/;

function checkRequest(req: FastifyRequest): void {
  if (OWN_PARAMETERS.test(req.url)) return;
  const query = (req.query ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw newsdeskError('ND_BAD_REQUEST', { reason: `query parameter ${name.slice(0, 40)} is given more than once` });
    const rule = queryRules[name];
    if (rule && value !== '' && rule(value) === null) {
      if (name === 'page') pageNumber(value);
      throw newsdeskError('ND_BAD_REQUEST', { reason: `${name} must be a date that exists (YYYY-MM-DD), not ${value.slice(0, 40)}` });
    }
  }
  const params = (req.params ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    if (name === 'page') pageNumber(value);
    const rule = pathRules[name];
    if (rule && rule(value) === null) throw newsdeskError('ND_NOT_FOUND', { what: `${name} ${value.slice(0, 60)}` });
  }
}

/** Checks every request's query and path parameters before any handler (and any body handling) runs. */
export function registerParameterChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => checkRequest(req));
}
