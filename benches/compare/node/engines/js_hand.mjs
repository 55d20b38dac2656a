// The 25 rules written by hand as a JS function over plain objects (the JS limit).
import { loadRows } from './common.mjs';

export const VERSION = `Node ${process.versions.node}`;
export const load = (inputs) => loadRows(inputs.rows, inputs.n);
export const count = (rows) => rows.length;
export const notes = () => 'plain loop over objects';

export function score(r) {
  const title = r.title;
  let s = 0;
  if (title.includes('VP') || title.includes('Vice President')) s += 10;
  if (title.includes('Director')) s += 8;
  if (title.includes('Chief') || title.includes('CEO') || title.includes('CTO')) s += 15;
  if (title.includes('Intern') || title.includes('Student')) s -= 10;
  if (r.employees > 500) s += 10;
  if (r.employees > 5000) s += 5;
  if (r.employees < 10) s -= 5;
  if (r.revenue > 10000000) s += 8;
  if (r.industry === 'Software') s += 6;
  if (r.industry === 'Finance' || r.industry === 'Healthcare') s += 4;
  switch (r.country) {
    case 'US': case 'CA': case 'GB': case 'DE': s += 5; break;
    default: break;
  }
  if (r.email.endsWith('@gmail.com') || r.email.endsWith('@yahoo.com')) s -= 8;
  if (r.source === 'referral') s += 7;
  if (r.source === 'paid_search') s += 3;
  const decay = Math.exp(-r.days_since_activity / 30);
  s += Math.min(r.page_views * 0.5 * decay, 15);
  s += Math.min(r.email_opens, 10) * 0.5 * decay;
  s += r.email_clicks * 2 * decay;
  if (r.form_fills > 0) s += 10;
  if (r.demo_requested) s += 25;
  if (r.pricing_visits >= 3) s += 12;
  if (r.webinar_attended) s += 6;
  if (r.days_since_activity > 90) s -= 15;
  if (r.unsubscribed) s -= 20;
  if (s < 0) s = 0;
  if (s > 100) s = 100;
  return s;
}

export function build(rows) {
  return () => {
    let total = 0;
    for (const r of rows) total += score(r);
    return total;
  };
}
