// Platform limits count code points, not UTF-16 units: an astral emoji is one character to the
// platform and two to `String.length`. Everything that measures or cuts model text goes
// through here so that a surrogate pair is never split.

export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

export function truncateToCodePoints(text: string, maxChars: number): string {
  if (maxChars <= 0) return '';
  const points = Array.from(text);
  return points.length <= maxChars ? text : points.slice(0, maxChars).join('');
}

// Cuts at a word boundary and marks the cut with an ellipsis, still within maxChars.
export function shortenToCodePoints(text: string, maxChars: number): string {
  if (codePointLength(text) <= maxChars) return text;
  if (maxChars <= 1) return truncateToCodePoints(text, maxChars);
  const head = truncateToCodePoints(text, maxChars - 1);
  const lastSpace = head.lastIndexOf(' ');
  const cut = lastSpace >= head.length / 2 ? head.slice(0, lastSpace) : head;
  return `${cut.replace(/[\s,;:.!?—-]+$/u, '')}…`;
}
