const KINDS = { Tentative: 'tentative', Planned: 'planned', 'Next edition': 'next' } as const;

/**
 * A word that qualifies a heading or a line, "Tentative" or "Planned", shown as a badge. Where
 * there is no style sheet (lynx, w3m) it reads in parentheses, "Topics (Tentative)", rather than
 * as a word run on: "Topics Tentative".
 */
export function Badge(props: { word: keyof typeof KINDS; tag?: 'strong' | 'span' }): JSX.Element {
  const inner = (
    <>
      <span class="text-only">(</span>
      {props.word}
      <span class="text-only">)</span>
    </>
  );
  const cls = `badge ${KINDS[props.word]}`;
  return props.tag === 'span' ? <span class={cls}>{inner}</span> : <strong class={cls}>{inner}</strong>;
}
