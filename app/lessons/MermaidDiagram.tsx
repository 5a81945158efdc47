// A ```mermaid block: mermaid itself (large) is imported only when a diagram is first shown, with
// securityLevel 'strict' so a lesson's diagram cannot carry script or HTML labels.

import { useEffect, useRef, useState } from 'react';
import type { ThemeName } from '../store/initial-state';

let counter = 0;
let lastTheme: ThemeName | null = null;

async function renderDiagram(source: string, theme: ThemeName): Promise<string> {
  const mermaid = (await import('mermaid')).default;
  if (lastTheme !== theme) {
    // htmlLabels off: labels are SVG text, so even markup DOMPurify lets through (a bare <img>) is text.
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      htmlLabels: false,
      flowchart: { htmlLabels: false },
      theme: theme === 'dark' ? 'dark' : 'default',
    });
    lastTheme = theme;
  }
  const { svg } = await mermaid.render(`lesson-diagram-${++counter}`, source);
  return svg;
}

export function MermaidDiagram({ source, theme }: { source: string; theme: ThemeName }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    renderDiagram(source, theme).then(
      (svg) => {
        // Mermaid's strict mode sanitises the SVG it returns (labels are text, no script).
        if (live && ref.current) ref.current.innerHTML = svg;
      },
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [source, theme]);
  if (error) return <pre className="lesson-error">diagram error: {error}</pre>;
  return <div className="lesson-diagram" ref={ref} role="img" aria-label="Diagram" data-testid="lesson-diagram" />;
}
