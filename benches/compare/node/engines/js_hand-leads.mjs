// The features and the 25 rules written by hand in JS over full lead objects
// (activities, `Date.parse` timestamps): the JS limit for lead input, the
// baseline of `leadflow_node-leads` and `leadflow_node_single-leads`.
import { loadLeads } from './common.mjs';
import { score } from './js_hand.mjs';

export const VERSION = `Node ${process.versions.node}`;
export const load = (inputs) => ({ now: inputs.now, leads: loadLeads(inputs.leads, inputs.n) });
export const count = (data) => data.leads.length;
export const notes = () => 'plain loop over lead objects: synth::features_of by hand, then the rules';

/** `https://x.com/pricing?a=1` -> `/pricing?a=1`; a bare path as it is. */
function urlPath(url) {
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const slash = url.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : url.slice(slash);
}

/**
 * `synth::features_of`: counts of activities at or before `now` (ms since the
 * epoch), flags, and whole days since the latest of them (else `created_at`).
 */
export function features(lead, now) {
  let pageViews = 0, pricingVisits = 0, emailOpens = 0, emailClicks = 0, formFills = 0;
  let demo = false, webinar = false, unsubscribed = false;
  let latest = -Infinity;
  for (const a of lead.activities ?? []) {
    const at = Date.parse(a.at);
    if (at > now) continue;
    if (at > latest) latest = at;
    switch (a.type) {
      case 'page_view': {
        pageViews++;
        const url = a.meta?.url;
        if (typeof url === 'string' && urlPath(url).startsWith('/pricing')) pricingVisits++;
        break;
      }
      case 'email_open': emailOpens++; break;
      case 'email_click': emailClicks++; break;
      case 'form_submit':
        formFills++;
        if (a.meta?.form === 'demo') demo = true;
        break;
      case 'webinar': webinar = true; break;
      case 'unsubscribe': unsubscribed = true; break;
      default: break;
    }
  }
  const since = latest === -Infinity ? Date.parse(lead.created_at) : latest;
  // Whole seconds (truncated), then whole days rounded down; 0 when `since` is after `now`.
  const days = Math.floor(Math.max(0, Math.trunc((now - since) / 1000)) / 86400);
  return {
    title: lead.title ?? '', employees: lead.employees ?? 0, revenue: lead.annual_revenue ?? 0,
    industry: lead.industry ?? '', country: lead.country ?? '', email: lead.email ?? '', source: lead.source ?? '',
    days_since_activity: days, page_views: pageViews, email_opens: emailOpens, email_clicks: emailClicks,
    form_fills: formFills, demo_requested: demo, pricing_visits: pricingVisits,
    webinar_attended: webinar, unsubscribed,
  };
}

export function build({ leads, now }) {
  const t = Date.parse(now);
  return () => {
    let total = 0;
    for (const l of leads) total += score(features(l, t));
    return total;
  };
}
