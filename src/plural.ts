/** Counted nouns in messages, shared by the renderers, the CLI and the operations' own messages. */

/** `n` and the noun in its number: "1 change row", "2 change rows", counted(3, 'history', 'histories'). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
