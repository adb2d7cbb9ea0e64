/**
 * What kind of slot an agenda row is, from its title and whether anyone speaks.
 */
import type { SlotKind } from './page-model.js';

const SOCIAL = /\b(?:social|reception|party|dinner cruise|cruise|happy hour|drinks)\b/i;
const BREAK = /\bbreak\b/i;
const MEAL = /\b(?:breakfast|brunch|lunch|dinner|supper|meals?)\b/i;
const DISCUSSION = /\b(?:discussions?|forum|bofs?|birds of a feather|q\s*&\s*a|panel)\b/i;
const LED_DISCUSSION = /^(?:open discussions?|open forum|bofs?\b|discussions?\b|panel\b)/i;

/**
 * Rows without a speaker are breaks, meals, socials or discussions when their title says so;
 * rows with one are talks unless the title opens as a discussion ("BoF: …").
 */
export function slotKind(title: string, speakers: readonly string[]): SlotKind {
  if (speakers.length > 0) return LED_DISCUSSION.test(title) ? 'discussion' : 'talk';
  if (SOCIAL.test(title)) return 'social';
  if (BREAK.test(title)) return 'break';
  if (MEAL.test(title)) return 'meal';
  if (DISCUSSION.test(title)) return 'discussion';
  return 'talk';
}

/** A title that is a break, meal, social or discussion by itself ("Morning Break", "Lunch!"). */
export function isNonTalk(title: string): boolean {
  const t = title.trim();
  return t.length <= 60 && slotKind(t, []) !== 'talk';
}
