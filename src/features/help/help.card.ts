import template from '../../../cards/help/help.card.json';
import { renderCard } from '../../cards/render-card';

export interface HelpCardData {
  title: string;
  /** Shown above the intro, e.g. when the person typed something hibi did not understand; "" for none. */
  notice: string;
  intro: string;
  commandsHeading: string;
  commands: { example: string; description: string }[];
  footer: string;
}

export function renderHelpCard(data: HelpCardData): Record<string, unknown> {
  return renderCard(template, data);
}
