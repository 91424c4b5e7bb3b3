/** Limits of the new contract (openapi.yaml): counted in code points, as JSON Schema's maxLength does. */
export const maxNameLength = 100;
export const maxDescriptionLength = 1000;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * Cuts text to at most `max` code points without splitting a grapheme (a letter and its combining marks,
 * an emoji ZWJ sequence), so truncation never leaves a dangling accent or half a family emoji.
 */
export function truncateToCodePoints(text: string, max: number): string {
  // A string never has more code points than UTF-16 units: short ones need no counting.
  if (text.length <= max || countCodePoints(text) <= max) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const size = countCodePoints(segment);
    if (used + size > max) break;
    out += segment;
    used += size;
  }
  return out;
}

export interface Cleaned {
  value: string;
  /** Why the value changed; empty when it did not. */
  reasons: string[];
}

/**
 * Makes a legacy name valid under the new rules: control characters become spaces, surrounding
 * whitespace goes, over-long names are cut at a grapheme boundary, and an empty result becomes
 * "Neighborhood {legacy id}".
 */
export function cleanName(name: string, legacyId: number): Cleaned {
  const reasons: string[] = [];
  let value = name;
  if (/\p{Cc}/u.test(value)) {
    value = value.replace(/\p{Cc}+/gu, ' ');
    reasons.push('control characters replaced by spaces');
  }
  if (value.trim() !== value) {
    value = value.trim();
    reasons.push('surrounding whitespace removed');
  }
  if (countCodePoints(value) > maxNameLength) {
    value = truncateToCodePoints(value, maxNameLength).trim();
    reasons.push(`longer than ${maxNameLength} characters: truncated`);
  }
  if (value === '') {
    value = `Neighborhood ${legacyId}`;
    reasons.push('empty name replaced');
  }
  return { value, reasons };
}

/** Control characters other than tab, line feed and carriage return (which descriptions may hold). */
const forbiddenInDescription = /[^\P{Cc}\t\n\r]+/gu;

/** Makes a legacy description valid: forbidden control characters become spaces, over-long text is cut. */
export function cleanDescription(description: string): Cleaned {
  const reasons: string[] = [];
  let value = description;
  if (/[^\P{Cc}\t\n\r]/u.test(value)) {
    value = value.replace(forbiddenInDescription, ' ');
    reasons.push('control characters replaced by spaces');
  }
  if (countCodePoints(value) > maxDescriptionLength) {
    value = truncateToCodePoints(value, maxDescriptionLength);
    reasons.push(`longer than ${maxDescriptionLength} characters: truncated (full text in the issue report)`);
  }
  return { value, reasons };
}

/**
 * The name a collision loser gets: its own name plus " (#{legacy id})" (then "-2", "-3"… if even that is
 * taken), with the base shortened so the whole stays within the limit.
 */
export function toSuffixedName(name: string, legacyId: number, attempt: number): string {
  const suffix = attempt === 1 ? ` (#${legacyId})` : ` (#${legacyId}-${attempt})`;
  const base = truncateToCodePoints(name, maxNameLength - countCodePoints(suffix)).trimEnd();
  return `${base}${suffix}`;
}
