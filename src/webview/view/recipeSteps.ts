/**
 * The steps of a recipe run, above its answer: one collapsed section per request with its
 * status and usage, opened on demand. Re-rendered on every update of the turn, but a step's
 * body is only redrawn when its text changed, and a section the user opened stays open.
 */
import type { RecipeRunView, RecipeStepView, UsageView } from '../../shared/protocol';
import { el } from '../dom';
import { formatCost, formatUsage } from '../format';
import type { MarkdownRenderer } from '../render/markdown';
import { strings } from '../strings';

interface StepElement {
  readonly details: HTMLDetailsElement;
  readonly summary: HTMLElement;
  readonly body: HTMLElement;
  text: string;
  error: string | undefined;
}

export class RecipeStepsElement {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly list: HTMLElement;
  private readonly steps: StepElement[] = [];

  constructor(private readonly doc: Document, private readonly markdown: MarkdownRenderer) {
    this.heading = el(doc, 'div', { className: 'recipe-heading' });
    this.list = el(doc, 'div', { className: 'recipe-step-list' });
    this.element = el(doc, 'section', { className: 'recipe-steps', attrs: { 'aria-label': strings.recipe.stepsLabel } }, [this.heading, this.list]);
  }

  /** `total` is the whole run's cost, shown once the run has ended. */
  update(recipe: RecipeRunView, total?: Pick<UsageView, 'costUsd' | 'unpriced'>): void {
    const done = recipe.steps.filter((step) => step.status !== 'running').length;
    const heading = strings.recipe.heading(recipe.name, done, recipe.steps.length);
    this.heading.textContent = total === undefined ? heading : `${heading} · ${strings.recipe.total(formatCost(total))}`;
    recipe.steps.forEach((step, i) => this.updateStep(this.steps[i] ?? this.addStep(), step));
  }

  private addStep(): StepElement {
    const doc = this.doc;
    const summary = el(doc, 'summary', { className: 'recipe-step-summary' });
    const body = el(doc, 'div', { className: 'recipe-step-body markdown' });
    const details = el(doc, 'details', { className: 'recipe-step' }, [summary, body]);
    this.list.append(details);
    const step: StepElement = { details, summary, body, text: '', error: undefined };
    this.steps.push(step);
    return step;
  }

  private updateStep(view: StepElement, step: RecipeStepView): void {
    const doc = this.doc;
    view.details.setAttribute('data-status', step.status);
    view.summary.replaceChildren(
      el(doc, 'span', { className: 'recipe-step-status', attrs: { 'aria-label': strings.recipe.status[step.status] }, text: strings.recipe.marker[step.status] }),
      el(doc, 'span', { className: 'recipe-step-title', text: step.title }),
      ...(step.usage ? [el(doc, 'span', { className: 'recipe-step-usage', text: formatUsage(step.usage) })] : []),
    );
    if (step.text === view.text && step.error === view.error) return;
    view.text = step.text;
    view.error = step.error;
    const nodes: Node[] = [];
    if (step.error !== undefined) nodes.push(el(doc, 'div', { className: 'recipe-step-error', text: step.error }));
    if (step.text !== '') nodes.push(this.markdown.render(step.text));
    view.body.replaceChildren(...nodes);
  }
}
