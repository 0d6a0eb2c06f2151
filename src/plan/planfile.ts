// Saved plans: validated against schema/plan.schema.json, refused when older than the allowed lifetime.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { PLAN_API_VERSION, type Plan } from './types.js';
import { schemaValidator } from '../schemas.js';

export class PlanError extends Error {}

const validate = (): ValidateFunction => schemaValidator('plan');

/** Parses and checks a saved plan; `maxAgeMs` 0 disables the age check. */
export function loadPlan(text: string, maxAgeMs: number, now = Date.now()): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PlanError(`the plan is not JSON: ${(e as Error).message}`);
  }
  const v = validate();
  if (!v(data)) {
    const errs = (v.errors ?? []).slice(0, 5).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    const api = (data as { apiVersion?: unknown } | null)?.apiVersion;
    if (api !== PLAN_API_VERSION) throw new PlanError(`unsupported plan apiVersion ${JSON.stringify(api)} (this bosun reads ${PLAN_API_VERSION})`);
    throw new PlanError(`the plan does not match its schema: ${errs.join('; ')}`);
  }
  const plan = data as Plan;
  const age = now - Date.parse(plan.createdAt);
  if (maxAgeMs > 0 && age > maxAgeMs) {
    throw new PlanError(`the plan is too old: made ${Math.round(age / 60000)} minutes ago, plans live at most ${Math.round(maxAgeMs / 60000)} minutes (--plan-max-age); make a new plan`);
  }
  return plan;
}

export { validate as planValidator };
