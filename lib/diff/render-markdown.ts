import { serviceFlowchart } from '../diagram';
import { ServiceView } from '../traffic-view';
import { TrafficDiff } from './change';
import { shifts } from './summary';

/**
 * For a pull request comment: the summary, then per changed service a table
 * of changes, the weight moves, and its flowchart before and after.
 */
export function renderMarkdown(diff: TrafficDiff, before: readonly ServiceView[], after: readonly ServiceView[]): string {
  const was = new Map(before.map((v) => [v.service, v]));
  const now = new Map(after.map((v) => [v.service, v]));
  const out = ['## Routing changes', '', diff.summary];
  for (const service of diff.services) {
    out.push('', `### \`${service.service}\``, '', '| risk | change |', '|---|---|');
    for (const change of service.changes) out.push(`| ${change.risk === 'risky' ? '**risky**' : change.risk} | ${cell(change.message)} |`);
    const moves = shifts(service);
    if (moves.length) out.push('', ...moves.map((m) => `- ${m}`));
    out.push('', '<details><summary>Before and after</summary>', '');
    out.push(...diagram('Before', was.get(service.service)), ...diagram('After', now.get(service.service)));
    out.push('</details>');
  }
  for (const object of diff.objects) {
    out.push('', `### \`${object.object}\``, '', '| risk | change |', '|---|---|');
    for (const change of object.changes) out.push(`| ${change.risk === 'risky' ? '**risky**' : change.risk} | ${cell(change.message)} |`);
  }
  return `${out.join('\n')}\n`;
}

function diagram(title: string, view: ServiceView | undefined): string[] {
  if (!view) return [`${title}: no such service.`, ''];
  return [`${title}:`, '', '```mermaid', serviceFlowchart(view).trimEnd(), '```', ''];
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}
